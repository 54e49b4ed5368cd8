package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command through {@link KubeNodeIpamMain#run}, with fakes for the Node and host-local. */
class KubeNodeIpamTest {
  static final String ANN = "cidr.example.com/net3";

  @TempDir Path tmp;
  FakeNodeSource nodes;
  FakePluginExecutor hostLocal;
  Path dataDir;
  Path cniPath;

  @BeforeEach
  void setUp() throws IOException {
    nodes =
        new FakeNodeSource()
            .node(
                "vm-2",
                Map.of(ANN, "192.168.55.0/26, fd00:5::1:0/112"),
                "10.0.2.0/24",
                "fd00:2::/64")
            .node("vm-3", Map.of(ANN, "192.168.55.64/33"), "10.0.3.0/24")
            .node("vm-4", Map.of(), "fd00:4::/64", "10.0.4.0/24", "10.1.4.0/24")
            .node("vm-5", Map.of());
    hostLocal = new FakePluginExecutor();
    dataDir = tmp.resolve("data");
    cniPath = Files.createDirectories(tmp.resolve("bin"));
    Path exe = Files.createFile(cniPath.resolve("host-local"));
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  record Outcome(int status, String stdout) {
    Map<String, Object> json() {
      try {
        return Json.parseObject(stdout);
      } catch (Json.ParseException e) {
        throw new AssertionError("stdout is not JSON: " + stdout, e);
      }
    }

    long code() {
      return ((java.math.BigDecimal) json().get("code")).longValue();
    }
  }

  String config(String cniVersion, String ipamExtra) {
    return "{\"cniVersion\":\""
        + cniVersion
        + "\",\"name\":\"net1\",\"type\":\"bridge\",\"bridge\":\"cbr0\","
        + "\"args\":{\"cni\":{\"ips\":[\"10.0.2.9\"]}},"
        + "\"runtimeConfig\":{\"ips\":[\"10.0.2.10/24\"]},"
        + "\"x-unknown\":{\"kept\":[1,2.5,true,null]},"
        + "\"ipam\":{\"type\":\"kube-node\",\"nodeName\":\"vm-2\",\"dataDir\":\""
        + dataDir
        + "\""
        + ipamExtra
        + "}}";
  }

  Outcome run(String command, String stdin) {
    return run(command, stdin, Map.of());
  }

  Outcome run(String command, String stdin, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "c1");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_NETNS", "/run/netns/x");
    env.put("CNI_PATH", "/nonexistent:" + cniPath);
    env.put("CNI_ARGS", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=p");
    env.putAll(extra);
    env.values().removeIf(v -> v == null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HostIdentity host =
        new HostIdentity() {
          @Override
          public String hostname() {
            return "VM-2";
          }

          @Override
          public String machineId() {
            return "mid-2";
          }
        };
    int status =
        KubeNodeIpamMain.run(
            env::get,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            out,
            new KubeNodeIpam.Dependencies(hostLocal, nodes, host),
            false);
    return new Outcome(status, out.toString(StandardCharsets.UTF_8));
  }

  static List<Object> ranges(String... subnets) {
    return java.util.Arrays.stream(subnets)
        .map(s -> (Object) List.of(Map.of("subnet", s)))
        .toList();
  }

  @Test
  void coldAddReadsTheNodeAndPassesEverythingElseOn() throws Exception {
    Outcome o =
        run("ADD", config("1.0.0", ",\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"resolvConf\":\"/r\""));

    assertThat(o.status()).isZero();
    assertThat(o.json()).containsEntry("cniVersion", "1.0.0").containsKey("ips");
    FakePluginExecutor.Call add = hostLocal.commands("ADD").getFirst();
    assertThat(add.plugin()).isEqualTo(cniPath.resolve("host-local"));
    assertThat(add.env())
        .containsEntry("CNI_CONTAINERID", "c1")
        .containsEntry("CNI_IFNAME", "eth0")
        .containsEntry("CNI_NETNS", "/run/netns/x")
        .containsEntry("CNI_ARGS", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=p");
    Map<String, Object> sent = add.config();
    assertThat(sent)
        .containsEntry("name", "net1")
        .containsEntry("cniVersion", "1.0.0")
        .containsEntry("type", "bridge")
        .containsEntry("bridge", "cbr0");
    assertThat(Json.write(sent.get("args"))).isEqualTo("{\"cni\":{\"ips\":[\"10.0.2.9\"]}}");
    assertThat(Json.write(sent.get("runtimeConfig"))).isEqualTo("{\"ips\":[\"10.0.2.10/24\"]}");
    assertThat(Json.write(sent.get("x-unknown"))).isEqualTo("{\"kept\":[1,2.5,true,null]}");
    assertThat(add.ipam())
        .isEqualTo(
            Map.of(
                "type", "host-local",
                "ranges", ranges("10.0.2.0/24", "fd00:2::/64"),
                "dataDir", dataDir.toString(),
                "routes", List.of(Map.of("dst", "0.0.0.0/0")),
                "resolvConf", "/r"));
    assertThat(Json.parseObject(Files.readString(dataDir.resolve("kube-node.json"))))
        .containsEntry("node", "vm-2")
        .containsEntry("cidrs", List.of("10.0.2.0/24", "fd00:2::/64"));
  }

  @Test
  void ipamRoutesAndUnknownIpamFieldsStayOutWhenNotGiven() {
    run("ADD", config("1.0.0", ",\"kubeconfig\":\"/k\",\"loglevel\":\"error\""));
    assertThat(hostLocal.commands("ADD").getFirst().ipam().keySet())
        .containsExactly("type", "ranges", "dataDir");
  }

  @Test
  void warmAddReadsNoNodeAndAsksHostLocalForItsVersionsOnlyOnce() {
    assertThat(run("ADD", config("1.0.0", "")).status()).isZero();
    int afterCold = nodes.calls.get();
    Outcome warm = run("ADD", config("1.0.0", ""));

    assertThat(warm.status()).isZero();
    assertThat(nodes.calls.get()).isEqualTo(afterCold);
    assertThat(hostLocal.commands("VERSION")).hasSize(1);
    assertThat(hostLocal.commands("ADD")).hasSize(2);
    assertThat(hostLocal.last().ipam().get("ranges"))
        .isEqualTo(ranges("10.0.2.0/24", "fd00:2::/64"));
  }

  @Test
  void theCacheIsPerAnnotation() {
    run("ADD", config("1.0.0", ""));
    Outcome o = run("ADD", config("1.0.0", ",\"annotation\":\"" + ANN + "\""));

    assertThat(o.status()).isZero();
    assertThat(hostLocal.last().ipam().get("ranges"))
        .isEqualTo(ranges("192.168.55.0/26", "fd00:5::1:0/112"));
  }

  @Test
  void allCidrsAreKeptOneRangeSetEach() {
    Outcome o = run("ADD", config("1.0.0", "").replace("vm-2", "vm-4"));
    assertThat(o.status()).isZero();
    assertThat(hostLocal.last().ipam().get("ranges"))
        .isEqualTo(ranges("fd00:4::/64", "10.0.4.0/24", "10.1.4.0/24"));
  }

  @Test
  void aNewerConfigVersionTalksToHostLocalInItsNewestAndConvertsTheResult() {
    Outcome o = run("ADD", config("1.1.0", ""));

    assertThat(o.status()).isZero();
    assertThat(hostLocal.last().config()).containsEntry("cniVersion", "1.0.0");
    assertThat(o.json()).containsEntry("cniVersion", "1.1.0");
  }

  @Test
  void anOlderConfigVersionHostLocalSpeaksIsPassedThrough() {
    Outcome o = run("ADD", config("0.4.0", ""));

    assertThat(o.status()).isZero();
    assertThat(hostLocal.last().config()).containsEntry("cniVersion", "0.4.0");
    assertThat(o.stdout()).contains("\"version\":\"4\"");
  }

  @Test
  void anUnknownVersionIsCode1() {
    Outcome o = run("ADD", config("2.0.0", ""));
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.code()).isEqualTo(1);
    assertThat(hostLocal.commands("ADD")).isEmpty();
  }

  @Test
  void aBadAnnotationIsCode100NamingTheValue() {
    Outcome o =
        run("ADD", config("1.0.0", ",\"annotation\":\"" + ANN + "\"").replace("vm-2", "vm-3"));

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.code()).isEqualTo(100);
    assertThat((String) o.json().get("msg")).contains(ANN).contains("192.168.55.64/33");
    assertThat(o.json()).containsEntry("cniVersion", "1.0.0");
    assertThat(hostLocal.commands("ADD")).isEmpty();
    assertThat(dataDir.resolve("kube-node.json")).doesNotExist();
  }

  @Test
  void aMissingAnnotationOrPodCidrsIsCode100() {
    Outcome noAnnotation =
        run("ADD", config("1.0.0", ",\"annotation\":\"" + ANN + "\"").replace("vm-2", "vm-4"));
    assertThat(noAnnotation.code()).isEqualTo(100);
    assertThat((String) noAnnotation.json().get("msg")).contains("has no annotation " + ANN);

    Outcome noCidrs = run("ADD", config("1.0.0", "").replace("vm-2", "vm-5"));
    assertThat(noCidrs.code()).isEqualTo(100);
    assertThat((String) noCidrs.json().get("msg")).contains("no spec.podCIDRs");
  }

  @Test
  void anInvalidAnnotationNameIsCode7() {
    Outcome o = run("ADD", config("1.0.0", ",\"annotation\":\"bad name!\""));
    assertThat(o.code()).isEqualTo(7);
  }

  @Test
  void ipv4NamespacesKeepsOnlyTheFirstIpv6RangeForOtherNamespaces() {
    String cfg = config("1.0.0", ",\"ipv4-namespaces\":[\"old-app\"]");

    run("ADD", cfg);
    assertThat(hostLocal.last().ipam().get("ranges")).isEqualTo(ranges("fd00:2::/64"));

    run("ADD", cfg, Map.of("CNI_ARGS", "K8S_POD_NAMESPACE=old-app"));
    assertThat(hostLocal.last().ipam().get("ranges"))
        .isEqualTo(ranges("10.0.2.0/24", "fd00:2::/64"));

    Outcome none = run("ADD", config("1.0.0", ",\"ipv4-namespaces\":[]").replace("vm-2", "vm-3"));
    // vm-3 has only IPv4 in spec.podCIDRs.
    assertThat(none.code()).isEqualTo(102);
    assertThat((String) none.json().get("msg"))
        .contains("\"default\" is not in ipv4-namespaces")
        .contains("no IPv6 range");
  }

  @Test
  void ownNodeNotFoundIsCode101AndAnUnreachableSourceCode11() {
    Outcome missing = run("ADD", config("1.0.0", "").replace("vm-2", "vm-9"));
    assertThat(missing.code()).isEqualTo(101);
    assertThat((String) missing.json().get("msg")).contains("vm-9");

    nodes.failure = new IOException("connection refused");
    Outcome down = run("ADD", config("1.0.0", ""));
    assertThat(down.code()).isEqualTo(11);
    assertThat((String) down.json().get("details")).contains("connection refused");
  }

  @Test
  void delNeedsNeitherCacheNorNodeSource() {
    nodes.failure = new IOException("API down");
    Outcome o =
        run("DEL", config("1.0.0", ""), java.util.Collections.singletonMap("CNI_NETNS", null));

    assertThat(o.status()).isZero();
    assertThat(o.stdout()).isEmpty();
    assertThat(nodes.calls.get()).isZero();
    FakePluginExecutor.Call del = hostLocal.commands("DEL").getFirst();
    assertThat(del.env())
        .containsEntry("CNI_CONTAINERID", "c1")
        .containsEntry("CNI_IFNAME", "eth0");
    assertThat(del.ipam().get("ranges")).isEqualTo(ranges(KubeNodeIpam.PLACEHOLDER_RANGE));
  }

  @Test
  void delUsesTheCachedRangesWhenThereAreSome() {
    run("ADD", config("1.0.0", ""));
    run("DEL", config("1.0.0", ""));
    assertThat(hostLocal.last().ipam().get("ranges"))
        .isEqualTo(ranges("10.0.2.0/24", "fd00:2::/64"));
  }

  @Test
  void hostLocalErrorsAreRelayedAndAFailedAddDropsTheCachedRanges() throws Exception {
    run("ADD", config("1.0.0", ""));
    hostLocal.failNext = new CniException(2, "no IP addresses available in range set", "x");
    Outcome o = run("ADD", config("1.0.0", ""));

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.code()).isEqualTo(2);
    assertThat((String) o.json().get("msg")).contains("no IP addresses available");
    assertThat(Json.parseObject(Files.readString(dataDir.resolve("kube-node.json"))))
        .doesNotContainKey("cidrs")
        .containsKey("hostLocal");
    // Meanwhile the node was re-registered with other CIDRs: the next ADD reads and caches them.
    nodes.node("vm-2", Map.of(), "10.9.2.0/24");
    int before = nodes.calls.get();
    assertThat(run("ADD", config("1.0.0", "")).status()).isZero();
    assertThat(nodes.calls.get()).isGreaterThan(before);
    assertThat(hostLocal.last().ipam().get("ranges")).isEqualTo(ranges("10.9.2.0/24"));
    assertThat(Json.parseObject(Files.readString(dataDir.resolve("kube-node.json"))))
        .containsEntry("cidrs", List.of("10.9.2.0/24"));
  }

  @Test
  void checkConvertsPrevResultToTheVersionHostLocalSpeaks() {
    String cfg =
        config("1.1.0", "")
            .replace(
                "\"ipam\":",
                "\"prevResult\":{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.0.2.2/24\"}]},\"ipam\":");
    Outcome o = run("CHECK", cfg);

    assertThat(o.status()).isZero();
    assertThat(o.stdout()).isEmpty();
    assertThat(Json.write(hostLocal.last().config().get("prevResult")))
        .isEqualTo("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.2.2/24\"}]}");
  }

  @Test
  void versionDoesNoLookupAndNeedsNoConfig() throws Exception {
    nodes.failure = new IOException("must not be called");
    Outcome o = run("VERSION", "");

    assertThat(o.status()).isZero();
    assertThat(o.json()).containsEntry("cniVersion", "1.1.0");
    assertThat(Json.strings(o.json(), "supportedVersions")).contains("1.0.0", "1.1.0");
    assertThat(nodes.calls.get()).isZero();
    assertThat(hostLocal.calls).isEmpty();
  }

  @Test
  void statusIsReadyWhenTheRangesAreKnownAndCode50Otherwise() {
    Outcome ready = run("STATUS", config("1.1.0", ""));
    assertThat(ready.status()).isZero();
    assertThat(ready.stdout()).isEmpty();

    Outcome notReady = run("STATUS", config("1.1.0", "").replace("vm-2", "vm-5"));
    assertThat(notReady.code()).isEqualTo(50);
    assertThat((String) notReady.json().get("msg")).contains("no spec.podCIDRs");
  }

  @Test
  void gcWithoutTheListReleasesNothing() throws Exception {
    Path reservations = Files.createDirectories(dataDir.resolve("net1"));
    Files.writeString(reservations.resolve("10.0.2.2"), "gone\r\neth0");
    Outcome o = run("GC", config("1.1.0", ""));

    assertThat(o.code()).isEqualTo(7);
    assertThat(hostLocal.commands("DEL")).isEmpty();
    assertThat(hostLocal.commands("GC")).isEmpty();
  }

  @Test
  void gcReleasesThroughDelWhatIsNotInTheList() throws Exception {
    Path reservations = Files.createDirectories(dataDir.resolve("net1"));
    Files.writeString(reservations.resolve("10.0.2.2"), "keep\r\neth0");
    Files.writeString(reservations.resolve("fd00:2::2"), "keep\r\neth0");
    Files.writeString(reservations.resolve("10.0.2.3"), "gone\r\neth0");
    Files.writeString(reservations.resolve("fd00:2::3"), "gone\r\neth0");
    Files.writeString(reservations.resolve("10.0.2.4"), "keep\r\nnet1");
    Files.writeString(reservations.resolve("last_reserved_ip.0"), "10.0.2.4");
    Files.writeString(reservations.resolve("lock"), "");
    String cfg =
        config("1.1.0", "")
            .replace(
                "\"ipam\":",
                "\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}],\"ipam\":");
    Outcome o = run("GC", cfg, java.util.Collections.singletonMap("CNI_CONTAINERID", null));

    assertThat(o.status()).as(o.stdout()).isZero();
    assertThat(hostLocal.commands("GC")).isEmpty();
    assertThat(hostLocal.commands("DEL"))
        .extracting(c -> c.env().get("CNI_CONTAINERID") + "/" + c.env().get("CNI_IFNAME"))
        .containsExactlyInAnyOrder("gone/eth0", "keep/net1");
  }

  @Test
  void gcIsForwardedWithItsListToAHostLocalThatSpeaks11() {
    hostLocal.versions = List.of("1.0.0", "1.1.0");
    String cfg =
        config("1.1.0", "")
            .replace(
                "\"ipam\":",
                "\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}],\"ipam\":");
    Outcome o = run("GC", cfg);

    assertThat(o.status()).isZero();
    FakePluginExecutor.Call gc = hostLocal.commands("GC").getFirst();
    assertThat(Json.write(gc.config().get("cni.dev/valid-attachments")))
        .isEqualTo("[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]");
    assertThat(gc.config()).containsEntry("cniVersion", "1.1.0");
  }

  @Test
  void badInputGetsTheSpecCodes() {
    assertThat(run("ADD", "not json").code()).isEqualTo(6);
    assertThat(run("ADD", "[1]").code()).isEqualTo(6);
    assertThat(run("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}").code()).isEqualTo(7);
    assertThat(run("ADD", "{\"cniVersion\":\"1.0.0\",\"ipam\":{}}").code()).isEqualTo(7);
    assertThat(run("ADD", config("1.0.0", ",\"ipv4-namespaces\":\"x\"")).code()).isEqualTo(7);
    assertThat(
            run("ADD", config("1.0.0", ""), java.util.Collections.singletonMap("CNI_IFNAME", null))
                .code())
        .isEqualTo(4);
    assertThat(run("BOGUS", config("1.0.0", "")).code()).isEqualTo(4);
    Outcome noPath =
        run("ADD", config("1.0.0", ""), Map.of("CNI_PATH", tmp.resolve("empty").toString()));
    assertThat(noPath.code()).isEqualTo(103);
  }

  @Test
  void theTimeoutAnswersWithCode11AndNothingElseReachesStdout() {
    hostLocal.sleepMillis = 1500;
    Outcome o = run("ADD", config("1.0.0", ",\"timeoutSeconds\":0.2"));

    assertThat(o.status()).isEqualTo(1);
    assertThat(o.code()).isEqualTo(11);
    assertThat((String) o.json().get("msg")).contains("timed out after 200 ms");
  }
}
