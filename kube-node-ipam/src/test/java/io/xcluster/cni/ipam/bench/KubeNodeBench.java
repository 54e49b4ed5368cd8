package io.xcluster.cni.ipam.bench;

import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time of one ADD, side by side in one run and interleaved (so load on the machine hits all
 * alike): host-local alone; kube-node with a warm cache; kube-node with a cold cache, reading its
 * Node over HTTPS from {@link FakeApiServer} (kubeconfig with CA and token). Prints a markdown
 * table. Not a test: run it by hand (see kube-node-ipam/README.md).
 *
 * <p>Arguments: {@code [launcher] [repetitions]}; the launcher defaults to {@code
 * _output/bin/kube-node} as {@code ./build.sh build} leaves it.
 */
public final class KubeNodeBench {
  private static final Path HOST_LOCAL = Path.of("/usr/lib/cni/host-local");

  private KubeNodeBench() {}

  public static void main(String[] args) throws Exception {
    Path launcher = Path.of(args.length > 0 ? args[0] : "_output/bin/kube-node").toAbsolutePath();
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path tmp = Files.createTempDirectory("kube-node-bench");
    try (FakeApiServer api = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "bench-token")) {
      api.putNode(FakeNodes.realistic("bench-node", 3));
      Path kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"));
      String ranges = "[[{\"subnet\":\"10.3.0.0/16\"}],[{\"subnet\":\"fd00:10:244:3::/64\"}]]";
      String hostLocalConf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"ipam\":{\"type\":\"host-local\","
              + "\"dataDir\":\""
              + tmp.resolve("hl")
              + "\",\"ranges\":"
              + ranges
              + "}}";
      String kubeNodeConf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"ipam\":{\"type\":\"kube-node\","
              + "\"nodeName\":\"bench-node\",\"kubeconfig\":\""
              + kubeconfig
              + "\",\"dataDir\":\"%s\"}}";
      Path warmDir = tmp.resolve("warm");
      Path coldDir = tmp.resolve("cold");
      String warmConf = kubeNodeConf.formatted(warmDir);
      String coldConf = kubeNodeConf.formatted(coldDir);

      // Fill the warm cache, and check every variant works before timing anything.
      check(add(launcher, warmConf, "fill"), "kube-node cold fill");
      List<Long> hostLocal = new ArrayList<>();
      List<Long> warm = new ArrayList<>();
      List<Long> cold = new ArrayList<>();
      List<Long> hostLocalCpu = new ArrayList<>();
      List<Long> warmCpu = new ArrayList<>();
      List<Long> coldCpu = new ArrayList<>();
      Path cpuFile = tmp.resolve("cpu");
      for (int i = -3; i < reps; i++) {
        long h = time(HOST_LOCAL, hostLocalConf, "h" + i);
        long w = time(launcher, warmConf, "w" + i);
        Files.deleteIfExists(coldDir.resolve("kube-node.json"));
        long c = time(launcher, coldConf, "c" + i);
        // CPU time (user + sys, the plugin and its children) in separate runs under
        // bash (its `times`), so the wall times above include no wrapper.
        long hc = cpu(cpuFile, HOST_LOCAL, hostLocalConf, "hc" + i);
        long wc = cpu(cpuFile, launcher, warmConf, "wc" + i);
        Files.deleteIfExists(coldDir.resolve("kube-node.json"));
        long cc = cpu(cpuFile, launcher, coldConf, "cc" + i);
        if (i >= 0) { // the first rounds warm the page cache
          hostLocal.add(h);
          warm.add(w);
          cold.add(c);
          hostLocalCpu.add(hc);
          warmCpu.add(wc);
          coldCpu.add(cc);
        }
      }
      long gets = api.requestCount("get", "/api/v1/nodes/bench-node");
      double base = median(hostLocal);
      double cpuBase = mean(hostLocalCpu);
      System.out.println(
          "| ADD ("
              + reps
              + " runs, interleaved) | wall median ms | p10 | p90 | min | × host-local"
              + " | CPU mean ms | × host-local |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      row("host-local alone", hostLocal, base, hostLocalCpu, cpuBase);
      row("kube-node, warm cache", warm, base, warmCpu, cpuBase);
      row("kube-node, cold cache (GET over HTTPS)", cold, base, coldCpu, cpuBase);
      System.out.println();
      System.out.println(
          "Node GETs seen by the API server: "
              + gets
              + " (expected "
              + (2 * (reps + 3) + 1)
              + ": one per cold ADD, none per warm ADD). CPU: separate runs, so the wall"
              + " times include no wrapper. Launcher: "
              + launcher
              + "; "
              + Runtime.getRuntime().availableProcessors()
              + " CPUs.");
    } finally {
      deleteTree(tmp);
    }
  }

  record Run(int status, String stdout) {}

  static Run add(Path plugin, String config, String containerId)
      throws IOException, InterruptedException {
    return add(List.of(plugin.toString()), config, containerId);
  }

  static Run add(List<String> command, String config, String containerId)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CNI_"));
    Map<String, String> cni = new HashMap<>();
    cni.put("CNI_COMMAND", "ADD");
    cni.put("CNI_CONTAINERID", containerId);
    cni.put("CNI_IFNAME", "eth0");
    cni.put("CNI_NETNS", "/run/netns/bench");
    cni.put("CNI_PATH", HOST_LOCAL.getParent().toString());
    env.putAll(cni);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(config.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  static long time(Path plugin, String config, String containerId) throws Exception {
    long t0 = System.nanoTime();
    Run r = add(plugin, config, containerId);
    long t = System.nanoTime() - t0;
    check(r, plugin + " " + containerId);
    return t;
  }

  static void check(Run r, String what) {
    if (r.status() != 0 || !r.stdout().contains("\"ips\"")) {
      throw new IllegalStateException(what + " failed: " + r.stdout());
    }
  }

  static double mean(List<Long> xs) {
    return xs.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
  }

  static double median(List<Long> xs) {
    return percentile(xs, 50);
  }

  static double percentile(List<Long> xs, int p) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int i = (int) Math.round((p / 100.0) * (s.size() - 1));
    return s.get(i) / 1e6;
  }

  static void row(String name, List<Long> xs, double base, List<Long> cpu, double cpuBase) {
    double med = median(xs);
    double cpuMed = mean(cpu);
    System.out.println(
        String.format(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %.1f | %.1f | %.1f× | %.1f | %.1f× |",
            name,
            med,
            percentile(xs, 10),
            percentile(xs, 90),
            xs.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6,
            med / base,
            cpuMed,
            cpuMed / cpuBase));
  }

  /**
   * CPU time in ns (user + sys of the plugin and its children), from bash's {@code times} after
   * running it: millisecond resolution.
   */
  static long cpu(Path out, Path plugin, String config, String containerId) throws Exception {
    Run r =
        add(
            List.of(
                "bash",
                "-c",
                "\"$0\"; rc=$?; times > \"$1\"; exit $rc",
                plugin.toString(),
                out.toString()),
            config,
            containerId);
    check(r, plugin + " " + containerId);
    // Line 2 of `times`: the children's user and sys time, e.g. "0m0.093s 0m0.021s".
    String[] f = Files.readAllLines(out).get(1).strip().split("\\s+");
    return Math.round((seconds(f[0]) + seconds(f[1])) * 1e9);
  }

  private static double seconds(String bashTime) {
    int m = bashTime.indexOf('m');
    return Integer.parseInt(bashTime.substring(0, m)) * 60
        + Double.parseDouble(bashTime.substring(m + 1, bashTime.length() - 1));
  }

  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
