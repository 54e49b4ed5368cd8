package io.xcluster.cni.e2e;

import io.xcluster.cni.testing.FileTrees;
import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the e2e outside Maven and ends with {@code e2e: N passed, N failed}; exit 0 only when all
 * passed. It must run inside the switch namespace (so the API server it hosts is reachable from the
 * nodes): {@code ip netns add SW; ip netns exec SW java -cp ... E2eMain --switch SW --repo .
 * --source file|api}. {@code ./build.sh e2e} does that.
 */
public final class E2eMain {
  private E2eMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path repo = Path.of(opts.getOrDefault("repo", ".")).toAbsolutePath().normalize();
    Path output = Path.of(opts.getOrDefault("output", repo.resolve("_output").toString()));
    String sourceName = opts.getOrDefault("source", "file");
    int nodes = Integer.parseInt(opts.getOrDefault("nodes", "3"));
    NetworkNamespace sw = NetworkNamespace.existing(opts.get("switch"));
    Path work = Files.createTempDirectory("xcni-e2e-");
    System.out.println("e2e: source " + sourceName + ", " + nodes + " nodes, work dir " + work);
    Checks checks;
    try (Rig rig = new Rig(sw, nodes, work);
        NodeSourceMode source = source(sourceName, rig)) {
      checks = new E2eScenario(rig, output, source, repo, System.out).run();
    }
    if (checks.failed().isEmpty()) {
      FileTrees.delete(work);
    } else {
      System.out.println("e2e: logs and state kept in " + work);
    }
    System.out.println(checks.summary());
    System.exit(checks.failed().isEmpty() ? 0 : 1);
  }

  static NodeSourceMode source(String name, Rig rig) throws Exception {
    return switch (name) {
      case "file" -> new NodesFileMode(rig.workDir().resolve("nodes.json"));
      case "api" -> new ApiServerMode(rig.workDir());
      default -> throw new IllegalArgumentException("--source is file or api, not " + name);
    };
  }
}
