package io.xcluster.cni.router.bench;

import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A fake cluster in its own process, for measuring the daemon from outside: {@code N} realistic
 * (~13 KB) Nodes with a CIDR annotation, a kubeconfig written to {@code args[1]}. Reads commands on
 * stdin: {@code set NODE CIDR} patches a Node's annotation; {@code quit}.
 */
public final class FakeClusterMain {
  static final String CIDR = "cidr.example.com/net3";

  private FakeClusterMain() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    try (FakeApiServer server = FakeApiServer.start()) {
      for (int i = 0; i < n; i++) {
        server.putNode(
            FakeNodes.realistic(
                i == 0 ? "self" : "node-" + i,
                i,
                Map.of(CIDR, "172.20." + (i >> 8) + "." + (i & 255) + "/32")));
      }
      server.writeKubeconfig(Path.of(args[1]));
      System.out.println("ready " + n);
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(" ");
        if (f[0].equals("quit")) {
          return;
        }
        if (f[0].equals("set")) {
          server.patchNodeAnnotations(f[1], Map.of(CIDR, f[2]), List.of());
          System.out.println("ok");
          System.out.flush();
        }
      }
    }
  }
}
