package io.xcluster.cni.bench;

import io.xcluster.cni.testing.FakeNodes;
import io.xcluster.cni.testing.FileTrees;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold start of the built daemon ({@code _output/bin/xcluster-cni daemon}) in a fresh network
 * namespace, fed 10 000 Nodes by the fake API server over HTTPS, until all 9 999 peer routes are in
 * the kernel; against {@code ip -batch} of the same routes into a fresh namespace, interleaved.
 *
 * <p>The fake API server runs once, as a process ({@code FakeApiServerMain}) in a namespace of its
 * own; each run's namespace gets a veth to it, since a daemon in a namespace cannot reach the
 * host's 127.0.0.1.
 */
public final class ColdStartBenchmark implements Benchmark {
  private static final int NODES = 10_000;
  private static final String SELF = "node-0";
  private static final String DONE = "First full reconcile done";
  private static final long TIMEOUT_SECONDS = 120;

  /** Where the time of one daemon start goes, by the daemon's own log lines. */
  private static final Map<String, String> PHASES = new LinkedHashMap<>();

  static {
    PHASES.put("JVM and launcher start", "] DaemonCommand - xcluster-cni ");
    PHASES.put("API client, kernel socket, metrics server", "] RouterDaemon - Routing for node");
    PHASES.put("list of 10 000 Nodes (informer)", "] InformerNodeSource - Node list complete");
    PHASES.put(
        "plan and install the routes", "] RouteReconciler - " + (NODES - 1) + " routes replaced");
    PHASES.put("count the routes installed, report", "] RouterDaemon - " + DONE);
  }

  private final Path launcher;
  private int runs;

  public ColdStartBenchmark(Path launcher) {
    this.launcher = launcher.toAbsolutePath();
  }

  @Override
  public String name() {
    return "cold-start";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int rounds = ctx.quick() ? 3 : 8;
    // A full run warms the page cache (the launcher's runtime) with an unmeasured round first; a
    // quick one relies on the median of three to absorb a slow first round.
    int first = ctx.quick() ? 0 : -1;
    double load = loadAverage();
    Path tmp = Files.createTempDirectory("cold-start-bench");
    long apiStart = System.nanoTime();
    try (ApiServerProcess api = ApiServerProcess.start(tmp, "coldapi")) {
      List<String> puts = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        puts.add("put " + node(i));
      }
      api.commands(puts);
      System.err.printf(
          "cold-start: API server with %,d Nodes ready in %.1f s%n",
          NODES, (System.nanoTime() - apiStart) / 1e9);
      Path batch = tmp.resolve("routes.batch");
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < NODES; i++) {
        sb.append("route add ")
            .append(FakeNodes.podCidrV4(i))
            .append(" via ")
            .append(FakeNodes.internalIpv4(i))
            .append(" proto 202\n");
      }
      Files.writeString(batch, sb);
      List<Double> ip = new ArrayList<>();
      List<Start> plain = new ArrayList<>();
      List<Start> nexthops = new ArrayList<>();
      for (int r = first; r < rounds; r++) {
        double i = ipBatch(batch);
        Start p = daemon(api, tmp, false);
        Start n = daemon(api, tmp, true);
        System.err.printf(
            "cold-start: round %d: ip -batch %s, daemon %s, --nexthops %s%n",
            r, Sample.seconds(i), Sample.seconds(p.seconds()), Sample.seconds(n.seconds()));
        if (r >= 0) {
          ip.add(i);
          plain.add(p);
          nexthops.add(n);
        }
      }
      report(ctx, rounds, first < 0, load, Sample.of(ip), plain, nexthops);
    } finally {
      FileTrees.delete(tmp);
    }
  }

  private static void report(
      Context ctx,
      int rounds,
      boolean warmUp,
      double load,
      Sample ip,
      List<Start> plain,
      List<Start> nexthops) {
    Sample p = Sample.of(plain.stream().map(Start::seconds).toList());
    Sample n = Sample.of(nexthops.stream().map(Start::seconds).toList());
    Report.Section section =
        ctx.report()
            .section(
                "Cold start with 10 000 Nodes: the daemon against ip -batch",
                """
                Each round runs, interleaved: `ip -n NS -batch` of the 9 999 routes (`10.H.L.0/24 \
                via 172.16.x.y proto 202`, each peer Node its own pod CIDR and its own InternalIP \
                as gateway, so 9 999 distinct gateways; `ip` start included); the built daemon \
                (`_output/bin/xcluster-cni daemon --node-name node-0 --kubeconfig K`, started with \
                `ip netns exec NS`, default flags otherwise: log level info, metrics server on); \
                and the same with `--nexthops`. Every run gets a fresh namespace with a veth \
                holding node-0's addresses (172.16.0.1/12, and fd00:192:168::1/64, unused here), so \
                the gateways are on-link. The daemon lists and watches \
                10 000 IPv4-only Nodes (node-0 is its own, ~0.4 KB of JSON each) over HTTPS with \
                a bearer token from `FakeApiServerMain`, which runs all along in a namespace of \
                its own, reached over a second veth; its JVM is warm and idle between runs. A run \
                is timed from just before the process is started to the moment the bench reads \
                the daemon's log line `%s: 9999 routes desired, 9999 installed, 0 failed` on the \
                daemon's stdout (a pipe, read as it comes); the routes are then counted with `ip \
                -n NS -4 route show proto 202` (untimed), and the daemon is stopped with SIGTERM \
                and its namespace deleted. %s. The 1-minute load average before the first round \
                was %.1f on %d CPUs. Goals (issue 9): daemon ≤ 1.3× `ip -batch`; with \
                `--nexthops` ≤ 0.6×."""
                    .formatted(
                        DONE,
                        warmUp
                            ? "One unmeasured round first, then " + rounds
                            : rounds + " rounds, the first one included",
                        load,
                        Runtime.getRuntime().availableProcessors()))
            .table("to all routes installed", "time", "ratio to ip -batch")
            .row("`ip -batch` (baseline)", ip.describeSeconds(), "1.00×")
            .row("daemon", p.describeSeconds(), Report.ratio(p.median() / ip.median(), 1.3))
            .row(
                "daemon `--nexthops`",
                n.describeSeconds(),
                Report.ratio(n.median() / ip.median(), 0.6));
    section
        .text(
            """
            Where the daemon's time goes: the median of each phase over the runs, from the \
            timestamps of the daemon's own log lines (millisecond resolution), each phase ending \
            at the line named. Phases do not add up to the medians above exactly.""")
        .table("phase (ends at the log line)", "daemon", "daemon `--nexthops`");
    List<String> names = new ArrayList<>(PHASES.keySet());
    for (int i = 0; i < names.size(); i++) {
      int k = i;
      section.row(
          names.get(i) + " (`" + PHASES.get(names.get(i)).substring(2).strip() + "…`)",
          phase(plain, k),
          phase(nexthops, k));
    }
    section.done();
  }

  private static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private static String phase(List<Start> starts, int k) {
    return Sample.seconds(Sample.of(starts.stream().map(s -> s.phases().get(k)).toList()).median());
  }

  /**
   * One daemon start.
   *
   * @param seconds from before the process start to the bench reading the log line
   * @param phases seconds of each of {@link #PHASES}, by the daemon's log timestamps
   */
  private record Start(double seconds, List<Double> phases) {}

  private static double ipBatch(Path batch) {
    try (NetworkNamespace ns = DaemonProcess.nodeNamespace("cold", 0)) {
      long start = System.nanoTime();
      NetworkNamespace.run(List.of("ip", "-n", ns.name(), "-batch", batch.toString()));
      double seconds = (System.nanoTime() - start) / 1e9;
      count(ns);
      return seconds;
    }
  }

  private Start daemon(ApiServerProcess api, Path tmp, boolean nexthops) throws Exception {
    try (NetworkNamespace ns = DaemonProcess.nodeNamespace("cold", 0)) {
      api.link(ns);
      List<String> args = new ArrayList<>();
      args.addAll(
          List.of(
              "--node-name",
              SELF,
              "--kubeconfig",
              api.kubeconfig().toString(),
              "--lock-dir",
              Files.createDirectories(tmp.resolve("lock-" + runs++)).toString()));
      if (nexthops) {
        args.add("--nexthops");
      }
      List<String> markers = new ArrayList<>(PHASES.values());
      markers.add(DONE);
      try (DaemonProcess daemon = DaemonProcess.start(launcher, ns, args, markers)) {
        String done = daemon.await(DONE, TIMEOUT_SECONDS);
        double seconds = (System.nanoTime() - daemon.startNanos()) / 1e9;
        String expected = (NODES - 1) + " routes desired, " + (NODES - 1) + " installed, 0 failed";
        if (!done.endsWith(expected)) {
          throw new IllegalStateException("the daemon says " + done + "\n" + daemon.tail());
        }
        count(ns);
        List<Double> phases = new ArrayList<>();
        long previous = daemon.startMillis();
        for (String marker : PHASES.values()) {
          long at =
              daemon
                  .first(marker)
                  .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))).toEpochMilli())
                  .orElse(previous);
          phases.add((at - previous) / 1e3);
          previous = at;
        }
        return new Start(seconds, phases);
      }
    }
  }

  private static void count(NetworkNamespace ns) {
    long routes = ns.ip("-4", "route", "show", "proto", "202").lines().count();
    if (routes != NODES - 1) {
      throw new IllegalStateException(routes + " routes of " + (NODES - 1) + " in the kernel");
    }
  }

  /** An IPv4-only Node: its pod CIDR and its InternalIP, as FakeNodes numbers them. */
  static String node(int i) {
    String name = "node-" + i;
    return """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":\
        {"kubernetes.io/hostname":"%s"}},"spec":{"podCIDR":"%s","podCIDRs":["%s"]},\
        "status":{"addresses":[{"type":"InternalIP","address":"%s"},\
        {"type":"Hostname","address":"%s"}]}}"""
        .formatted(
            name,
            name,
            FakeNodes.podCidrV4(i),
            FakeNodes.podCidrV4(i),
            FakeNodes.internalIpv4(i),
            name);
  }
}
