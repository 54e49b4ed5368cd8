package io.xcluster.cni.router.install;

import static io.xcluster.cni.router.install.InstallFixtures.mode;
import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.router.RouterMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xcluster-cni install} and {@code uninstall} through the real command line. */
class InstallCommandTest {
  @TempDir Path tmp;
  Path bin;
  Path net;
  Path sa;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    bin = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
    net = Files.createDirectories(tmp.resolve("host/etc/cni/net.d"));
    sa = InstallFixtures.serviceAccount(tmp, InstallFixtures.token("pod"));
    InstallFixtures.bundle(tmp, "A");
    InstallFixtures.plugin(tmp.resolve("plugins"), "host-local", "v1.1.1");
  }

  private int run(String... args) {
    CommandLine cl = RouterMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** The install command line; {@code extra} options replace the defaults of the same name. */
  private List<String> install(String... extra) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--cni-bin-dir", bin.toString());
    options.put("--cni-conf-dir", net.toString());
    options.put("--service-account-dir", sa.toString());
    options.put("--api-server", "https://10.96.0.1:443");
    options.put("--node-name", "node-1");
    options.put("--kube-node-bundle", tmp.resolve("bundle-A").toString());
    options.put("--plugins-dir", tmp.resolve("plugins").toString());
    for (String e : extra) {
      String[] kv = e.split("=", 2);
      options.put(kv[0], kv[1]);
    }
    List<String> args = new ArrayList<>(List.of("install"));
    options.forEach((k, v) -> args.add(k + "=" + v));
    return args;
  }

  @Test
  void installsTheMainNetwork() throws Exception {
    int rc = run(install("--mtu=1400").toArray(String[]::new));

    assertThat(rc).as(err.toString()).isZero();
    assertThat(bin.resolve("kube-node")).isExecutable();
    assertThat(bin.resolve("host-local")).isExecutable();
    assertThat(net.resolve("10-xcluster-cni.conf")).content().contains("\"mtu\" : 1400");
    assertThat(mode(net.resolve("xcluster-cni/xcluster-cni.kubeconfig"))).isEqualTo("rw-------");
    assertThat(out.toString()).contains("installed network instance xcluster-cni on node-1");
  }

  @Test
  void installsASecondaryNetwork() throws Exception {
    int rc =
        run(install("--network-role=Secondary", "--instance=xcluster-net3").toArray(String[]::new));

    assertThat(rc).as(err.toString()).isZero();
    assertThat(net.resolve("10-xcluster-cni.conf")).doesNotExist();
    assertThat(net.resolve("xcluster-cni/xcluster-net3.kubeconfig")).exists();
  }

  @Test
  void badInputIsAUsageErrorThatWritesNothing() throws Exception {
    assertThat(run(install("--node-name=").toArray(String[]::new))).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("NODE_NAME");
    assertThat(run(install("--instance=Bad_Name").toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString()).contains("DNS label");
    assertThat(run(install("--network-role=tertiary").toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString()).contains("main or secondary");
    assertThat(run(install("--mtu=100").toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString()).contains("576..65535");
    try (var files = Files.list(net)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("10-xcluster-cni.conf");
    }
  }

  @Test
  void anUnusableServiceAccountIsReportedNotAStackTrace() throws Exception {
    Files.delete(sa.resolve("ca.crt"));
    int rc = run(install().toArray(String[]::new));
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString())
        .contains("cannot make kube-node's kubeconfig: NoSuchFileException")
        .doesNotContain("\tat ");
    assertThat(net.resolve("10-xcluster-cni.conf")).doesNotExist();
  }

  @Test
  void withoutAServiceAccountEverythingButTheKubeconfigIsInstalled() throws Exception {
    // Not in a pod (a static install, a test rig): the kubeconfig comes from elsewhere.
    int rc =
        run(
            install("--service-account-dir=" + tmp.resolve("none"), "--mtu=1400")
                .toArray(String[]::new));
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).contains("WARNING: no service account at");
    assertThat(net.resolve("10-xcluster-cni.conf")).exists();
    assertThat(net.resolve("xcluster-cni/node-name")).exists();
    assertThat(net.resolve("xcluster-cni/xcluster-cni.kubeconfig")).doesNotExist();
  }

  @Test
  void uninstallWithKeepRoutesRemovesTheFilesAndLeavesThePlugins() throws Exception {
    assertThat(run(install("--mtu=1400").toArray(String[]::new))).isZero();

    int rc = run("uninstall", "--cni-bin-dir=" + bin, "--cni-conf-dir=" + net, "--keep-routes");

    assertThat(rc).as(err.toString()).isZero();
    assertThat(net.resolve("10-xcluster-cni.conf")).doesNotExist();
    assertThat(net.resolve("xcluster-cni")).doesNotExist();
    assertThat(bin.resolve("kube-node")).exists();
    // Removing routes needs the kernel: UninstallCommandIT does that inside a namespace.
  }
}
