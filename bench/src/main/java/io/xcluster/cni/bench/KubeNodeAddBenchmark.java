package io.xcluster.cni.bench;

import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import io.xcluster.cni.testing.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One CNI ADD, side by side and interleaved so that load on the machine hits all alike: {@code
 * host-local} alone; {@code kube-node} (the built launcher, {@code _output/bin/kube-node}) with a
 * warm cache; and with a cold cache, reading its Node over HTTPS from the fake API server. Wall
 * time of the process, and its CPU time (user + sys with children) in separate runs.
 */
public final class KubeNodeAddBenchmark implements Benchmark {
  private static final Path HOST_LOCAL = Path.of("/usr/lib/cni/host-local");
  private final Path launcher;

  public KubeNodeAddBenchmark(Path launcher) {
    this.launcher = launcher.toAbsolutePath();
  }

  @Override
  public String name() {
    return "kube-node";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int reps = ctx.quick() ? 10 : 40;
    Path tmp = Files.createTempDirectory("kube-node-bench");
    try (FakeApiServer api = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "bench-token")) {
      api.putNode(FakeNodes.realistic("bench-node", 3));
      Path kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"));
      String hostLocalConf =
          """
          {"cniVersion":"1.0.0","name":"bench","ipam":{"type":"host-local","dataDir":"%s",
           "ranges":[[{"subnet":"10.3.0.0/16"}],[{"subnet":"fd00:10:244:3::/64"}]]}}"""
              .formatted(tmp.resolve("hl"));
      String kubeNodeConf =
          """
          {"cniVersion":"1.0.0","name":"bench","ipam":{"type":"kube-node",
           "nodeName":"bench-node","kubeconfig":"%s","dataDir":"%%s"}}"""
              .formatted(kubeconfig);
      Path coldDir = tmp.resolve("cold");
      String warmConf = kubeNodeConf.formatted(tmp.resolve("warm"));
      String coldConf = kubeNodeConf.formatted(coldDir);
      check(add(List.of(launcher.toString()), warmConf, "fill"), "kube-node cold fill");
      Map<String, List<Double>> wall =
          Map.of("h", new ArrayList<>(), "w", new ArrayList<>(), "c", new ArrayList<>());
      Map<String, List<Double>> cpu =
          Map.of("h", new ArrayList<>(), "w", new ArrayList<>(), "c", new ArrayList<>());
      Path cpuFile = tmp.resolve("cpu");
      for (int i = -3; i < reps; i++) {
        double h = time(HOST_LOCAL, hostLocalConf, "h" + i);
        double w = time(launcher, warmConf, "w" + i);
        Files.deleteIfExists(coldDir.resolve("kube-node.json"));
        double c = time(launcher, coldConf, "c" + i);
        double hc = cpu(cpuFile, HOST_LOCAL, hostLocalConf, "hc" + i);
        double wc = cpu(cpuFile, launcher, warmConf, "wc" + i);
        Files.deleteIfExists(coldDir.resolve("kube-node.json"));
        double cc = cpu(cpuFile, launcher, coldConf, "cc" + i);
        if (i >= 0) { // the first rounds fill the page cache
          wall.get("h").add(h);
          wall.get("w").add(w);
          wall.get("c").add(c);
          cpu.get("h").add(hc);
          cpu.get("w").add(wc);
          cpu.get("c").add(cc);
        }
      }
      long gets = api.requestCount("get", "/api/v1/nodes/bench-node");
      Sample hw = Sample.of(wall.get("h"));
      Sample ww = Sample.of(wall.get("w"));
      Sample cw = Sample.of(wall.get("c"));
      Sample hc = Sample.of(cpu.get("h"));
      Sample wc = Sample.of(cpu.get("w"));
      Sample cc = Sample.of(cpu.get("c"));
      ctx.report()
          .section(
              "kube-node ADD against host-local alone",
              """
              Each round runs, interleaved: `host-local` ADD alone (the baseline); `kube-node` ADD \
              with a warm cache (`<dataDir>/kube-node.json` present: no API call); and with a \
              cold cache, reading its Node once over HTTPS (CA + bearer token) from the fake API \
              server on 127.0.0.1. The plugin is the built launcher (`_output/bin/kube-node`: \
              jlink'd runtime, AOT cache), started as a runtime starts it. CPU time is user + \
              sys of the process and its children, from separate runs under bash's `times` \
              (millisecond resolution). Goals (issue 6): warm ≤ 20× host-local; cold ≤ 1 s.""")
          .table(
              "ADD", "wall time", "× host-local (wall)", "CPU time", "× host-local (CPU)", "goal")
          .row(
              "host-local alone",
              hw.describeSeconds(),
              "1.00×",
              hc.describeSeconds(),
              "1.00×",
              "baseline")
          .row(
              "kube-node, warm cache",
              ww.describeSeconds(),
              Report.ratio(ww.median() / hw.median(), 20),
              wc.describeSeconds(),
              String.format(Locale.ROOT, "%.1f×", wc.median() / hc.median()),
              "≤ 20× host-local")
          .row(
              "kube-node, cold cache (GET over HTTPS)",
              cw.describeSeconds(),
              String.format(Locale.ROOT, "%.1f×", cw.median() / hw.median()),
              cc.describeSeconds(),
              String.format(Locale.ROOT, "%.1f×", cc.median() / hc.median()),
              (cw.median() <= 1.0 ? "✔" : "✘") + " ≤ 1 s")
          .text(
              "Node GETs the API server saw: "
                  + gets
                  + " (one per cold ADD, none per warm ADD: "
                  + (2 * (reps + 3) + 1)
                  + " expected).")
          .done();
    } finally {
      FileTrees.delete(tmp);
    }
  }

  private record Run(int status, String stdout) {}

  private static Run add(List<String> command, String config, String containerId)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CNI_"));
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_NETNS", "/run/netns/bench");
    env.put("CNI_PATH", HOST_LOCAL.getParent().toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(config.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  private static double time(Path plugin, String config, String containerId) throws Exception {
    long t0 = System.nanoTime();
    Run r = add(List.of(plugin.toString()), config, containerId);
    double seconds = (System.nanoTime() - t0) / 1e9;
    check(r, plugin + " " + containerId);
    return seconds;
  }

  private static void check(Run r, String what) {
    if (r.status() != 0 || !r.stdout().contains("\"ips\"")) {
      throw new IllegalStateException(what + " failed: " + r.stdout());
    }
  }

  /** CPU seconds (user + sys of the plugin and its children), from bash's {@code times}. */
  private static double cpu(Path out, Path plugin, String config, String containerId)
      throws Exception {
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
    return seconds(f[0]) + seconds(f[1]);
  }

  private static double seconds(String bashTime) {
    int m = bashTime.indexOf('m');
    return Integer.parseInt(bashTime.substring(0, m)) * 60
        + Double.parseDouble(bashTime.substring(m + 1, bashTime.length() - 1));
  }
}
