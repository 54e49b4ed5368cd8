package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real bridge plugin with kube-node as its ipam, as a runtime runs it: the "host" is a
 * throw-away namespace holding the bridge, the container another. The container gets an address
 * from its Node's range and its default route via the bridge.
 */
@KernelTest
class BridgeIT {
  static final Path BRIDGE = Path.of("/usr/lib/cni/bridge");

  @TempDir Path tmp;

  record Run(int status, String stdout, String stderr) {}

  Run runIn(NetworkNamespace ns, Map<String, String> env, String stdin)
      throws IOException, InterruptedException {
    Path stderr = tmp.resolve("bridge.stderr");
    ProcessBuilder pb = new ProcessBuilder(ns.command(BRIDGE.toString()));
    pb.environment().keySet().removeIf(k -> k.startsWith("CNI_"));
    pb.environment().putAll(env);
    pb.redirectError(stderr.toFile());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bridge did not finish");
    }
    return new Run(p.exitValue(), out, Files.readString(stderr));
  }

  @Test
  void theContainerGetsAnAddressFromTheNodeAndItsDefaultRouteViaTheBridge() throws Exception {
    assumeThat(BRIDGE).isExecutable();
    assumeThat(PluginProcess.HOST_LOCAL_DIR.resolve("host-local")).isExecutable();
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    PluginProcess.packaged().writeLauncher(bin);
    Path nodes = tmp.resolve("nodes.yaml");
    Files.writeString(
        nodes,
        "items:\n- metadata: {name: vm-002}\n"
            + "  spec: {podCIDRs: [10.244.2.0/24, \"fd00:10:244:2::/64\"]}\n");
    String config =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"kn-bridge\",\"type\":\"bridge\","
            + "\"bridge\":\"kn-br0\",\"isGateway\":true,\"isDefaultGateway\":true,"
            + "\"ipam\":{\"type\":\"kube-node\",\"nodeName\":\"vm-002\",\"nodesFile\":\""
            + nodes
            + "\",\"dataDir\":\""
            + tmp.resolve("data")
            + "\"}}";

    try (NetworkNamespace host = NetworkNamespace.create("knhost");
        NetworkNamespace pod = NetworkNamespace.create("knpod")) {
      Map<String, String> env =
          Map.of(
              "CNI_COMMAND", "ADD",
              "CNI_CONTAINERID", "ctr1",
              "CNI_NETNS", pod.path().toString(),
              "CNI_IFNAME", "eth0",
              "CNI_PATH", bin + ":" + PluginProcess.HOST_LOCAL_DIR,
              "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=p");
      Run add = runIn(host, env, config);
      assertThat(add.status()).as(add.stdout() + add.stderr()).isZero();
      Map<String, Object> result = Json.parseObject(add.stdout());
      assertThat(Json.write(result.get("ips"))).contains("\"address\":\"10.244.2.2/24\"");

      assertThat(pod.ip("-4", "addr", "show", "eth0")).contains("inet 10.244.2.2/24");
      assertThat(pod.ip("-6", "addr", "show", "eth0")).contains("fd00:10:244:2::2/64");
      assertThat(pod.ip("-4", "route", "show", "default"))
          .contains("default via 10.244.2.1 dev eth0");
      assertThat(host.ip("-4", "addr", "show", "kn-br0")).contains("inet 10.244.2.1/24");
      // One bounded ping from the container to the bridge, inside the namespaces made here.
      pod.exec("ping", "-c", "1", "-W", "5", "10.244.2.1");

      Map<String, String> delEnv = new java.util.HashMap<>(env);
      delEnv.put("CNI_COMMAND", "DEL");
      Run del = runIn(host, delEnv, config);
      assertThat(del.status()).as(del.stdout() + del.stderr()).isZero();
      try (var files = Files.list(tmp.resolve("data/kn-bridge"))) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .noneMatch(n -> n.startsWith("10.") || n.startsWith("fd00"));
      }
      assertThat(List.of(pod.ip("link", "show"))).noneMatch(s -> s.contains("eth0"));
    }
  }
}
