package io.xcluster.cni.router.install;

import static io.xcluster.cni.router.install.InstallFixtures.bundle;
import static io.xcluster.cni.router.install.InstallFixtures.mode;
import static io.xcluster.cni.router.install.InstallFixtures.plugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcluster.cni.annotations.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallerTest {
  private static final URI SERVER = URI.create("https://10.96.0.1:443");
  private static final InetAddress NODE_IP = IpLiteral.parse("192.168.1.2");

  @TempDir Path tmp;
  Path bin;
  Path net;
  final List<String> log = new ArrayList<>();
  final List<String> nodeReads = new ArrayList<>();
  int interfaceMtu = 9000;
  Installer installer;

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
    net = Files.createDirectories(tmp.resolve("host/etc/cni/net.d"));
    NodeAddressSource nodes =
        name -> {
          nodeReads.add(name);
          return List.of(NODE_IP);
        };
    MtuLookup mtus =
        addresses ->
            addresses.contains(NODE_IP) ? OptionalInt.of(interfaceMtu) : OptionalInt.empty();
    installer = new Installer(new PluginInstaller(bin, PluginProber.exec()), nodes, mtus, log::add);
  }

  private InstanceLayout layout(String instance) {
    return new InstanceLayout(bin, net, Path.of("/etc/cni/net.d"), instance);
  }

  private Installer.Spec spec(String instance, boolean main) throws IOException {
    return new Installer.Spec(
        layout(instance),
        main,
        "node-1",
        "xcluster",
        "cbr0",
        Optional.empty(),
        OptionalInt.empty(),
        List.of(),
        Optional.of(
            new Installer.Bundle(
                bundle(tmp, instance),
                "kube-node",
                Path.of("bin/kube-node"),
                PluginVersion.parse("0.2.0"))),
        List.of(
            plugin(tmp.resolve("image-" + instance), "host-local", "v1.1.1"),
            plugin(tmp.resolve("image-" + instance), "bridge", "v1.1.1")),
        false);
  }

  private static Optional<Kubeconfig> kubeconfig(String instance, String token) {
    return Optional.of(
        new Kubeconfig(
            instance, SERVER, InstallFixtures.CA.getBytes(), InstallFixtures.token(token)));
  }

  private static JsonNode json(Path f) throws IOException {
    return new ObjectMapper().readTree(f.toFile());
  }

  @Test
  void freshMainInstallWritesEveryFileWithItsMode() throws Exception {
    installer.install(spec("xcluster-cni", true), kubeconfig("xcluster-cni", "main"));

    assertThat(bin.resolve("kube-node")).isExecutable();
    assertThat(mode(bin.resolve("host-local"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(bin.resolve("bridge"))).isEqualTo("rwxr-xr-x");

    Path kubeconfig = net.resolve("xcluster-cni/xcluster-cni.kubeconfig");
    assertThat(mode(kubeconfig)).isEqualTo("rw-------");
    assertThat(kubeconfig).content().contains("token: " + InstallFixtures.token("main"));

    Path nodeName = net.resolve("xcluster-cni/node-name");
    assertThat(nodeName).hasContent("node-1");
    assertThat(mode(nodeName)).isEqualTo("rw-r--r--");
    assertThat(Path.of(InstanceLayout.HOST_NODE_NAME_FILE))
        .isEqualTo(Path.of("/etc/cni/net.d").resolve(net.relativize(nodeName)));

    Path conf = net.resolve("10-xcluster-cni.conf");
    assertThat(mode(conf)).isEqualTo("rw-r--r--");
    JsonNode c = json(conf);
    assertThat(c.get("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(c.get("type").asText()).isEqualTo("bridge");
    assertThat(c.get("bridge").asText()).isEqualTo("cbr0");
    assertThat(c.get("isGateway").asBoolean()).isTrue();
    assertThat(c.get("isDefaultGateway").asBoolean()).isTrue();
    assertThat(c.get("hairpinMode").asBoolean()).isTrue();
    assertThat(c.get("mtu").asInt()).isEqualTo(9000);
    assertThat(c.get("ipam").get("type").asText()).isEqualTo("kube-node");
    assertThat(c.get("ipam").get("kubeconfig").asText())
        .isEqualTo("/etc/cni/net.d/xcluster-cni/xcluster-cni.kubeconfig");
    assertThat(c.get("ipam").get("dataDir").asText())
        .isEqualTo("/run/container-ipam-state/xcluster");
    assertThat(c.get("ipam").has("annotation")).isFalse();
    assertThat(nodeReads).containsExactly("node-1");
    assertThat(log).anyMatch(l -> l.contains("MTU 9000"));
  }

  @Test
  void secondInstallWithTheSameInputsWritesNothing() throws Exception {
    Installer.Spec s = spec("xcluster-cni", true);
    installer.install(s, kubeconfig("xcluster-cni", "main"));
    Map<Path, Object> inodes = inodes();
    log.clear();

    installer.install(s, kubeconfig("xcluster-cni", "main"));

    assertThat(inodes()).isEqualTo(inodes);
    assertThat(log).noneMatch(l -> l.endsWith(": written"));
    assertThat(log).anyMatch(l -> l.startsWith("kube-node: unchanged"));
  }

  @Test
  void theConfIsRewrittenWhenItsContentDiffersAndOtherCnisFilesAreLeftAlone() throws Exception {
    Path other = Files.writeString(net.resolve("05-other.conflist"), "{\"other\": true}");
    Path otherKubeconfig = Files.writeString(net.resolve("other.kubeconfig"), "theirs");
    installer.install(spec("xcluster-cni", true), kubeconfig("xcluster-cni", "main"));
    assertThat(log).anyMatch(l -> l.contains("WARNING: 05-other.conflist sorts before"));

    interfaceMtu = 1450;
    installer.install(spec("xcluster-cni", true), kubeconfig("xcluster-cni", "rotated"));

    assertThat(json(net.resolve("10-xcluster-cni.conf")).get("mtu").asInt()).isEqualTo(1450);
    assertThat(net.resolve("xcluster-cni/xcluster-cni.kubeconfig"))
        .content()
        .contains(InstallFixtures.token("rotated"));
    assertThat(other).hasContent("{\"other\": true}");
    assertThat(otherKubeconfig).hasContent("theirs");
  }

  @Test
  void aSecondaryInstanceWritesOnlyItsOwnFiles() throws Exception {
    installer.install(spec("xcluster-cni", true), kubeconfig("xcluster-cni", "main"));
    Path mainKubeconfig = net.resolve("xcluster-cni/xcluster-cni.kubeconfig");
    String mainBefore = Files.readString(mainKubeconfig);
    String confBefore = Files.readString(net.resolve("10-xcluster-cni.conf"));
    nodeReads.clear();

    installer.install(spec("xcluster-net3", false), kubeconfig("xcluster-net3", "net3"));

    assertThat(Files.readString(mainKubeconfig)).isEqualTo(mainBefore);
    assertThat(Files.readString(net.resolve("10-xcluster-cni.conf"))).isEqualTo(confBefore);
    Path own = net.resolve("xcluster-cni/xcluster-net3.kubeconfig");
    assertThat(own).content().contains(InstallFixtures.token("net3")).contains("xcluster-net3");
    assertThat(mode(own)).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(net)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("10-xcluster-cni.conf", "xcluster-cni");
    }
    assertThat(nodeReads).as("a secondary network needs no MTU").isEmpty();
  }

  @Test
  void aSecondaryInstanceAloneWritesNoConf() throws Exception {
    installer.install(spec("xcluster-net3", false), kubeconfig("xcluster-net3", "net3"));
    assertThat(net.resolve("10-xcluster-cni.conf")).doesNotExist();
    assertThat(net.resolve("xcluster-cni/node-name")).hasContent("node-1");
  }

  @Test
  void theCidrAnnotationGoesToKubeNodeAndAGivenMtuWins() throws Exception {
    Installer.Spec s = spec("xcluster-cni", true);
    Installer.Spec annotated =
        new Installer.Spec(
            s.layout(),
            true,
            s.nodeName(),
            s.networkName(),
            s.bridge(),
            Optional.of("cidr.example.com/main"),
            OptionalInt.of(1400),
            List.of(),
            s.kubeNode(),
            s.plugins(),
            false);
    installer.install(annotated, kubeconfig("xcluster-cni", "main"));
    JsonNode c = json(net.resolve("10-xcluster-cni.conf"));
    assertThat(c.get("ipam").get("annotation").asText()).isEqualTo("cidr.example.com/main");
    assertThat(c.get("mtu").asInt()).isEqualTo(1400);
    assertThat(nodeReads).isEmpty();
  }

  @Test
  void noInterfaceCarryingTheAddressFallsBackTo1500WithAWarning() throws Exception {
    Installer.Spec s = spec("xcluster-cni", true);
    Installer.Spec elsewhere =
        new Installer.Spec(
            s.layout(),
            true,
            s.nodeName(),
            s.networkName(),
            s.bridge(),
            Optional.empty(),
            OptionalInt.empty(),
            List.of(IpLiteral.parse("10.255.0.9")),
            Optional.empty(),
            List.of(),
            false);
    installer.install(elsewhere, kubeconfig("xcluster-cni", "main"));
    assertThat(json(net.resolve("10-xcluster-cni.conf")).get("mtu").asInt()).isEqualTo(1500);
    assertThat(log).anyMatch(l -> l.startsWith("WARNING: no interface carries [10.255.0.9]"));
    assertThat(nodeReads).as("given addresses are used as they are").isEmpty();
  }

  @Test
  void aMissingNodeNameIsAClearError() {
    assertThatThrownBy(
            () ->
                new Installer.Spec(
                    layout("xcluster-cni"),
                    true,
                    " ",
                    "xcluster",
                    "cbr0",
                    Optional.empty(),
                    OptionalInt.empty(),
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    false))
        .hasMessageContaining("NODE_NAME");
  }

  private Map<Path, Object> inodes() throws IOException {
    Map<Path, Object> m = new TreeMap<>();
    try (Stream<Path> files = Files.walk(tmp.resolve("host"))) {
      for (Path p : files.toList()) {
        m.put(p, Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
      }
    }
    return m;
  }
}
