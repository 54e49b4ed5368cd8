package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold path against an API server: kube-node reads its Node over HTTPS with the kubeconfig's CA
 * and bearer token (client-java), once; warm ADDs make no request.
 */
class ApiServerIT {
  static final String TOKEN = "kube-node-test-token";
  static PluginProcess plugin;

  @TempDir Path tmp;
  FakeApiServer api;
  Path kubeconfig;

  @BeforeAll
  static void findPlugin() {
    assumeThat(PluginProcess.HOST_LOCAL_DIR.resolve("host-local")).isExecutable();
    plugin = PluginProcess.packaged();
  }

  @BeforeEach
  void start() {
    api = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, TOKEN);
    api.putNode(FakeNodes.small("vm-7", 7));
    api.putNode(
        FakeNodes.small("vm-8", 8, Map.of("cidr.example.com/net3", "192.168.8.0/26,bad/99")));
    kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  String config(String node, String ipamExtra) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"ipam\":{\"type\":\"kube-node\","
        + "\"kubeconfig\":\""
        + kubeconfig
        + "\",\"nodeName\":\""
        + node
        + "\",\"dataDir\":\""
        + tmp.resolve("data")
        + "\""
        + ipamExtra
        + "}}";
  }

  static Map<String, String> env(String command, String containerId) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_NETNS", "/run/netns/unused");
    env.put("CNI_PATH", PluginProcess.HOST_LOCAL_DIR.toString());
    return env;
  }

  @SuppressWarnings("unchecked")
  static String firstAddress(PluginProcess.Result r) {
    assertThat(r.status()).as(r.stdout() + r.stderr()).isZero();
    String a =
        (String)
            ((Map<String, Object>) ((List<Object>) r.json().get("ips")).getFirst()).get("address");
    return a.substring(0, a.indexOf('/'));
  }

  @Test
  void readsTheNodeOnceOverHttpsAndWarmAddsAskNothing() {
    String first = firstAddress(plugin.run(env("ADD", "c1"), config("vm-7", "")));

    assertThat(Cidr.parse(FakeNodes.podCidrV4(7)).contains(IpLiteral.parse(first))).isTrue();
    assertThat(api.requestCount("get", "/api/v1/nodes/vm-7")).isEqualTo(1);
    assertThat(api.requestCount()).isEqualTo(1);

    firstAddress(plugin.run(env("ADD", "c2"), config("vm-7", "")));
    assertThat(api.requestCount()).isEqualTo(1);
  }

  @Test
  void theColdPathLoadsNeitherClientJavasModelNorBouncyCastle() throws Exception {
    Path classes = tmp.resolve("classes.log");
    PluginProcess traced =
        PluginProcess.withClassPath(
            PluginProcess.packagedClassPath(), "-Xlog:class+load=info:file=" + classes);
    firstAddress(traced.run(env("ADD", "c1"), config("vm-7", "")));

    assertThat(Files.readString(classes))
        .contains("okhttp3.OkHttpClient ")
        .doesNotContain("io.kubernetes.client.openapi.JSON ")
        .doesNotContain("io.kubernetes.client.openapi.models.")
        .doesNotContain("org.bouncycastle.");
  }

  @Test
  void aWrongTokenOrADownServerIsCode11AndDelStillWorks() throws Exception {
    kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"), "wrong");
    PluginProcess.Result refused = plugin.run(env("ADD", "c1"), config("vm-7", ""));
    assertThat(refused.code()).isEqualTo(11);
    assertThat((String) refused.json().get("details")).contains("401");

    api.setDown(true);
    PluginProcess.Result down = plugin.run(env("ADD", "c1"), config("vm-7", ""));
    assertThat(down.code()).isEqualTo(11);
    PluginProcess.Result del = plugin.run(env("DEL", "c1"), config("vm-7", ""));
    assertThat(del.status()).as(del.stdout() + del.stderr()).isZero();
    assertThat(Files.exists(tmp.resolve("data/kube-node.json"))).isTrue();
  }

  @Test
  void aBadAnnotationValueIsCode100() {
    PluginProcess.Result r =
        plugin.run(env("ADD", "c1"), config("vm-8", ",\"annotation\":\"cidr.example.com/net3\""));
    assertThat(r.code()).isEqualTo(100);
    assertThat((String) r.json().get("msg")).contains("bad/99");
  }

  @Test
  void anUnknownNodeIsCode101() {
    PluginProcess.Result r = plugin.run(env("ADD", "c1"), config("vm-404", ""));
    assertThat(r.code()).isEqualTo(101);
    assertThat(api.requestCount("get", "/api/v1/nodes/vm-404")).isEqualTo(1);
  }
}
