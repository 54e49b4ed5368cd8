package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kube-node as a process with the real host-local (Debian's containernetworking-plugins, CNI up to
 * 1.0.0) and the Node from a nodes file. host-local only writes files in dataDir, so these tests
 * need no network namespace.
 */
class HostLocalIT {
  static final String ANN = "cidr.example.com/net3";
  static PluginProcess plugin;

  @TempDir Path tmp;
  Path dataDir;
  Path nodesFile;

  @BeforeAll
  static void findPlugin() {
    assumeThat(PluginProcess.HOST_LOCAL_DIR.resolve("host-local")).isExecutable();
    plugin = PluginProcess.packaged();
  }

  @BeforeEach
  void setUp() throws IOException {
    dataDir = tmp.resolve("data");
    nodesFile = tmp.resolve("nodes.yaml");
    Files.writeString(
        nodesFile,
        """
        apiVersion: v1
        kind: List
        items:
        - metadata:
            name: vm-002
            annotations:
              cidr.example.com/net3: "192.168.55.0/26, fd00:5::1:0/112"
              cidr.example.com/bad: "192.168.55.0/26,10.0.0.300/24"
          spec:
            podCIDRs: [10.244.2.0/24, "fd00:10:244:2::/64"]
        - metadata: {name: v4-only}
          spec: {podCIDRs: [10.244.3.0/28]}
        """);
  }

  String config(String ipamExtra) {
    return config("1.1.0", "", ipamExtra);
  }

  String config(String version, String topExtra, String ipamExtra) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"net1\",\"type\":\"bridge\""
        + topExtra
        + ",\"ipam\":{\"type\":\"kube-node\",\"nodeName\":\"vm-002\",\"nodesFile\":\""
        + nodesFile
        + "\",\"dataDir\":\""
        + dataDir
        + "\""
        + ipamExtra
        + "}}";
  }

  static Map<String, String> env(String command, String containerId) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    if (containerId != null) {
      env.put("CNI_CONTAINERID", containerId);
      env.put("CNI_IFNAME", "eth0");
      env.put("CNI_NETNS", "/run/netns/unused");
    }
    env.put("CNI_PATH", PluginProcess.HOST_LOCAL_DIR.toString());
    // As containerd sends them: host-local refuses unknown args without IgnoreUnknown.
    env.put(
        "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-" + containerId);
    return env;
  }

  PluginProcess.Result run(String command, String containerId, String config) {
    return plugin.run(env(command, containerId), config);
  }

  @SuppressWarnings("unchecked")
  static List<String> addresses(PluginProcess.Result r) {
    assertThat(r.status()).as(r.stdout() + r.stderr()).isZero();
    List<String> out = new ArrayList<>();
    for (Object ip : (List<Object>) r.json().get("ips")) {
      out.add((String) ((Map<String, Object>) ip).get("address"));
    }
    return out;
  }

  Set<String> reservations() throws IOException {
    Set<String> out = new HashSet<>();
    Path dir = dataDir.resolve("net1");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("[0-9a-f:.]+"))
          .forEach(out::add);
    }
    return out;
  }

  static boolean inside(String cidr, String address) {
    return Cidr.parse(cidr).contains(IpLiteral.parse(address.substring(0, address.indexOf('/'))));
  }

  @Test
  void addCheckDelDualStack() throws IOException {
    PluginProcess.Result add = run("ADD", "c1", config(""));
    List<String> ips = addresses(add);

    assertThat(add.json()).containsEntry("cniVersion", "1.1.0");
    assertThat(ips).hasSize(2);
    assertThat(inside("10.244.2.0/24", ips.get(0))).as(ips.get(0)).isTrue();
    assertThat(inside("fd00:10:244:2::/64", ips.get(1))).as(ips.get(1)).isTrue();
    assertThat(reservations()).hasSize(2);

    String prev = add.stdout();
    PluginProcess.Result check = run("CHECK", "c1", config("1.1.0", ",\"prevResult\":" + prev, ""));
    assertThat(check.status()).as(check.stdout() + check.stderr()).isZero();
    assertThat(check.stdout()).isEmpty();

    PluginProcess.Result del = run("DEL", "c1", config(""));
    assertThat(del.status()).as(del.stdout() + del.stderr()).isZero();
    assertThat(del.stdout()).isEmpty();
    assertThat(reservations()).isEmpty();
  }

  @Test
  void theAnnotationGivesTheRangesAndAnOldConfigVersionIsServedAsIs() {
    PluginProcess.Result add =
        run("ADD", "c1", config("0.4.0", "", ",\"annotation\":\"" + ANN + "\""));
    List<String> ips = addresses(add);

    assertThat(add.json()).containsEntry("cniVersion", "0.4.0");
    assertThat(add.stdout()).contains("\"version\"");
    assertThat(inside("192.168.55.0/26", ips.get(0))).isTrue();
    assertThat(inside("fd00:5::1:0/112", ips.get(1))).isTrue();
  }

  @Test
  void ipv4NamespacesGiveOtherPodsOnlyIpv6() {
    String cfg = config(",\"ipv4-namespaces\":[\"old-app\"]");
    List<String> other = addresses(run("ADD", "c1", cfg));
    assertThat(other).hasSize(1);
    assertThat(other.getFirst()).startsWith("fd00:10:244:2::");

    Map<String, String> env = env("ADD", "c2");
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=old-app");
    assertThat(addresses(plugin.run(env, cfg))).hasSize(2);

    PluginProcess.Result none =
        run("ADD", "c3", cfg.replace("\"nodeName\":\"vm-002\"", "\"nodeName\":\"v4-only\""));
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.code()).isEqualTo(102);
  }

  @Test
  void staticAddressesThroughRuntimeConfigAndArgs() {
    String viaRuntimeConfig =
        config("1.0.0", ",\"runtimeConfig\":{\"ips\":[\"10.244.2.77/24\"]}", "");
    assertThat(addresses(run("ADD", "c1", viaRuntimeConfig))).contains("10.244.2.77/24");

    String viaArgs = config("1.0.0", ",\"args\":{\"cni\":{\"ips\":[\"10.244.2.78\"]}}", "");
    assertThat(addresses(run("ADD", "c2", viaArgs))).contains("10.244.2.78/24");
  }

  @Test
  void delWithNeitherCacheNorNodeSourceStillReleases() throws IOException {
    addresses(run("ADD", "c1", config("")));
    assertThat(reservations()).hasSize(2);

    // A reboot lost the cache, and the Node cannot be read.
    Files.delete(dataDir.resolve("kube-node.json"));
    Files.delete(nodesFile);
    PluginProcess.Result del = run("DEL", "c1", config(""));

    assertThat(del.status()).as(del.stdout() + del.stderr()).isZero();
    assertThat(reservations()).isEmpty();
  }

  @Test
  void gcReleasesWhatIsNotInTheListAndNothingWithoutIt() throws IOException {
    addresses(run("ADD", "keep", config("")));
    addresses(run("ADD", "gone", config("")));
    assertThat(reservations()).hasSize(4);

    PluginProcess.Result noList = run("GC", null, config(""));
    assertThat(noList.code()).isEqualTo(7);
    assertThat(reservations()).hasSize(4);

    String gc =
        config(
            "1.1.0",
            ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]",
            "");
    PluginProcess.Result result = run("GC", null, gc);
    assertThat(result.status()).as(result.stdout() + result.stderr()).isZero();
    assertThat(reservations()).hasSize(2);
    PluginProcess.Result keptCheck =
        run("DEL", "keep", config("")); // the kept one is still there to release
    assertThat(keptCheck.status()).isZero();
    assertThat(reservations()).isEmpty();
  }

  @Test
  void statusIsReadyWithANodeAndCode50WithoutOne() throws IOException {
    PluginProcess.Result ready = run("STATUS", null, config(""));
    assertThat(ready.status()).as(ready.stdout() + ready.stderr()).isZero();
    assertThat(ready.stdout()).isEmpty();

    Files.delete(dataDir.resolve("kube-node.json"));
    Files.delete(nodesFile);
    PluginProcess.Result down = run("STATUS", null, config(""));
    assertThat(down.status()).isEqualTo(1);
    assertThat(down.code()).isEqualTo(50);
  }

  @Test
  void sixtyFourParallelAddsGetSixtyFourDistinctAddresses() throws Exception {
    List<Future<PluginProcess.Result>> runs = new ArrayList<>();
    // 64 cold JVMs at once need more than the default 15 s on a 2-CPU test machine.
    String cfg = config(",\"timeoutSeconds\":120");
    try (ExecutorService pool = Executors.newFixedThreadPool(64)) {
      for (int i = 0; i < 64; i++) {
        String id = "par" + i;
        runs.add(pool.submit(() -> run("ADD", id, cfg)));
      }
    }
    Set<String> v4 = new HashSet<>();
    for (Future<PluginProcess.Result> f : runs) {
      List<String> ips = addresses(f.get());
      assertThat(ips).hasSize(2);
      v4.add(ips.getFirst());
    }
    assertThat(v4).hasSize(64);
    assertThat(reservations()).hasSize(128);
    assertThat(
            RangeCache.decode(Json.parseObject(Files.readString(dataDir.resolve("kube-node.json"))))
                .cidrs())
        .containsExactly("10.244.2.0/24", "fd00:10:244:2::/64");
  }

  @Test
  void aCorruptCacheIsRecovered() throws Exception {
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("kube-node.json"), "{\"format\":1,\"cidrs\":[\"garb");

    List<String> ips = addresses(run("ADD", "c1", config("")));

    assertThat(inside("10.244.2.0/24", ips.getFirst())).isTrue();
    assertThat(Json.parseObject(Files.readString(dataDir.resolve("kube-node.json"))))
        .containsEntry("cidrs", List.of("10.244.2.0/24", "fd00:10:244:2::/64"));
  }

  @Test
  void aBadAnnotationIsCode100NamingTheValue() throws IOException {
    PluginProcess.Result r = run("ADD", "c1", config(",\"annotation\":\"cidr.example.com/bad\""));

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.code()).isEqualTo(100);
    assertThat((String) r.json().get("msg")).contains("10.0.0.300/24");
    assertThat(r.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(reservations()).isEmpty();
  }

  @Test
  void theWarmPathNeedsNoClientJava() throws Exception {
    addresses(run("ADD", "cold", config(""))); // fills the cache, with the full class path
    Path classes = tmp.resolve("classes.log");
    PluginProcess warmOnly =
        PluginProcess.withClassPath(
            PluginProcess.warmOnlyClassPath(), "-Xlog:class+load=info:file=" + classes);

    PluginProcess.Result warm = warmOnly.run(env("ADD", "warm"), config(""));
    assertThat(addresses(warm)).hasSize(2);
    assertThat(Files.readString(classes))
        .contains("io.xcluster.cni.ipam.KubeNodeIpam ")
        .doesNotContain("io.kubernetes")
        .doesNotContain("org.yaml")
        .doesNotContain("com.fasterxml")
        .doesNotContain("okhttp");
    PluginProcess.Result del = warmOnly.run(env("DEL", "warm"), config(""));
    assertThat(del.status()).as(del.stderr()).isZero();
    assertThat(warmOnly.run(env("VERSION", null), "").status()).isZero();
  }

  @Test
  void aHungHostLocalEndsInCode11AtTheTimeoutAndIsKilled() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("hung"));
    Path pidFile = tmp.resolve("hung.pid");
    Path hung = bin.resolve("host-local");
    Files.writeString(
        hung,
        "#! /bin/sh\n"
            + "test \"$CNI_COMMAND\" = VERSION && exec /usr/lib/cni/host-local\n"
            + "echo $$ > "
            + pidFile
            + "\nexec sleep 60\n");
    Files.setPosixFilePermissions(
        hung, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = env("ADD", "c1");
    env.put("CNI_PATH", bin.toString());

    PluginProcess.Result r = plugin.run(env, config(",\"timeoutSeconds\":3"));

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.code()).isEqualTo(11);
    assertThat((String) r.json().get("msg")).contains("timed out after 3000 ms");
    // The hung child was killed with it (not left to sleep its 60 s); allow for reaping.
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    for (int i = 0;
        i < 50 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        i++) {
      Thread.sleep(100);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void versionAndNoCommand() {
    PluginProcess.Result version = run("VERSION", null, "{\"cniVersion\":\"1.1.0\"}");
    assertThat(version.status()).isZero();
    assertThat(Json.strings(version.json(), "supportedVersions")).contains("1.1.0");

    PluginProcess.Result about = plugin.run(Map.of(), "");
    assertThat(about.status()).isZero();
    assertThat(about.stdout()).isEmpty();
    assertThat(about.stderr()).startsWith("CNI kube-node plugin v");
  }
}
