package io.xcluster.cni.bench;

import io.xcluster.cni.testing.FileTrees;
import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whole-process memory (VmRSS, VmHWM) of the built daemon ({@code _output/bin/xcluster-cni daemon},
 * the launcher's JVM flags, real netlink in a namespace) watching N realistic Nodes
 * (FakeNodes.realistic, ~13 KB of JSON each) of the fake API server over HTTPS, in steady state;
 * against the same daemon with its own Node only (issue 5).
 */
public final class DaemonMemoryBenchmark implements Benchmark {
  private static final String SELF = "node-0";
  private static final String DONE = "First full reconcile done";
  private static final long TIMEOUT_SECONDS = 180;
  private static final double GOAL_MIB = 96;
  private static final int GOAL_NODES = 5_000;
  private static final long SETTLE_MILLIS = 2_000;

  /**
   * A resync period well inside the reading window, so that what is read includes full resyncs
   * (each a kernel dump and a plan), as a daemon's steady state does.
   */
  private static final String RESYNC = "3s";

  private static final int CHANGES = 5;
  private static final long CHANGE_PAUSE_MILLIS = 100;

  /** RSS is steady when it moved less than this... */
  private static final long STEADY_BYTES = 1024 * 1024;

  /** ...over this many readings, {@link #POLL_MILLIS} apart (2 s). */
  private static final int STEADY_READINGS = 9;

  private static final long POLL_MILLIS = 250;

  /** Readings start this long after the first full reconcile at the earliest... */
  private static final long MIN_SETTLE_MILLIS = 5_000;

  /** ...and the reading is taken this long after it at the latest, steady or not. */
  private static final long MAX_SETTLE_MILLIS = 15_000;

  private final Path launcher;
  private int runs;

  public DaemonMemoryBenchmark(Path launcher) {
    this.launcher = launcher.toAbsolutePath();
  }

  @Override
  public String name() {
    return "memory";
  }

  /** One daemon's memory once settled. */
  private record Reading(
      long rss, long hwm, long anon, long file, double settleSeconds, boolean steady) {}

  @Override
  public void run(Context ctx) throws Exception {
    List<Integer> counts = ctx.quick() ? List.of(1, 1_000, 5_000) : List.of(1, 1_000, 2_500, 5_000);
    int repeats = ctx.quick() ? 1 : 3;
    Path tmp = Files.createTempDirectory("memory-bench");
    Map<Integer, List<Reading>> readings = new LinkedHashMap<>();
    String flags = "";
    try (ApiServerProcess api = ApiServerProcess.start(tmp, "memapi")) {
      int have = 0;
      for (int n : counts) {
        long start = System.nanoTime();
        List<String> puts = new ArrayList<>();
        for (; have < n; have++) {
          puts.add("realistic node-" + have + " " + have);
        }
        api.commands(puts);
        System.err.printf(
            "memory: API server has %,d realistic Nodes (%.1f s to add)%n",
            n, (System.nanoTime() - start) / 1e9);
        for (int r = 0; r < repeats; r++) {
          try (NetworkNamespace ns = DaemonProcess.nodeNamespace("mem", 0)) {
            api.link(ns);
            List<String> args =
                List.of(
                    "--node-name",
                    SELF,
                    "--kubeconfig",
                    api.kubeconfig().toString(),
                    "--lock-dir",
                    Files.createDirectories(tmp.resolve("lock-" + runs++)).toString(),
                    "--resync-period",
                    RESYNC);
            try (DaemonProcess daemon = DaemonProcess.start(launcher, ns, args, List.of(DONE))) {
              String done = daemon.await(DONE, TIMEOUT_SECONDS);
              if (!done.contains(" 0 failed")) {
                throw new IllegalStateException("the daemon says " + done);
              }
              long doneNanos = System.nanoTime();
              double started = (doneNanos - daemon.startNanos()) / 1e9;
              Reading reading = settle(api, daemon, doneNanos, n, r);
              flags = daemon.jvmFlags();
              readings.computeIfAbsent(n, k -> new ArrayList<>()).add(reading);
              System.err.printf(
                  "memory: %,d Nodes, run %d: synced in %.1f s; %s after: RSS %s, peak %s%n",
                  n,
                  r,
                  started,
                  reading.steady()
                      ? String.format(Locale.ROOT, "steady %.1f s", reading.settleSeconds())
                      : "not steady",
                  Sample.mebibytes(reading.rss()),
                  Sample.mebibytes(reading.hwm()));
            }
          }
        }
      }
    } finally {
      FileTrees.delete(tmp);
    }
    report(ctx, repeats, readings, flags);
  }

  /**
   * After the first full reconcile: a pause, a few annotation changes of peers (watch events the
   * daemon handles, of a key it does not use); then RSS every {@value #POLL_MILLIS} ms until it is
   * {@link #steady}, at the earliest {@value #MIN_SETTLE_MILLIS} ms after the reconcile.
   */
  private static Reading settle(
      ApiServerProcess api, DaemonProcess daemon, long doneNanos, int n, int run) throws Exception {
    Thread.sleep(SETTLE_MILLIS);
    for (int i = 0; i < CHANGES; i++) {
      String node = "node-" + (n == 1 ? 0 : 1 + (i * 97) % (n - 1));
      api.command("annotate " + node + " bench.example.com/change=" + run + "-" + i);
      Thread.sleep(CHANGE_PAUSE_MILLIS);
    }
    long pid = daemon.java().pid();
    List<Long> rss = new ArrayList<>();
    while (true) {
      ProcStatus status = ProcStatus.read(pid);
      long since = (System.nanoTime() - doneNanos) / 1_000_000;
      rss.add(status.rss());
      if (since >= MAX_SETTLE_MILLIS
          || since >= MIN_SETTLE_MILLIS && steady(rss, STEADY_READINGS, STEADY_BYTES)) {
        return new Reading(
            status.rss(),
            status.hwm(),
            status.get("RssAnon"),
            status.get("RssFile"),
            since / 1e3,
            steady(rss, STEADY_READINGS, STEADY_BYTES));
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Whether the last {@code readings} values are within {@code tolerance} of each other. */
  static boolean steady(List<Long> values, int readings, long tolerance) {
    if (values.size() < readings) {
      return false;
    }
    List<Long> last = values.subList(values.size() - readings, values.size());
    return Collections.max(last) - Collections.min(last) < tolerance;
  }

  private static void report(
      Context ctx, int repeats, Map<Integer, List<Reading>> readings, String flags)
      throws Exception {
    int own = readings.keySet().iterator().next();
    double baseline = sample(readings.get(own), Reading::rss).median();
    List<Reading> all = readings.values().stream().flatMap(List::stream).toList();
    long unsteady = all.stream().filter(r -> !r.steady()).count();
    Report.Section section =
        ctx.report()
            .section(
                "Daemon memory (RSS) against the number of Nodes",
                """
                The built daemon (`_output/bin/xcluster-cni daemon --node-name node-0 \
                --kubeconfig K --resync-period %s`, started with `ip netns exec NS`; the short \
                resync period puts full resyncs into the reading window, where the default 60 s \
                would leave them out; default flags otherwise: log level info, metrics server \
                on) in a fresh namespace whose veth holds node-0's \
                InternalIPs (172.16.0.1/12, fd00:192:168::1/64), so each peer's two routes (IPv4 \
                and IPv6) install with real netlink. It lists and watches N realistic Nodes \
                (`FakeNodes.realistic`: images, conditions, managed fields, ~13 KB of JSON each; \
                node-0 is its own) over HTTPS with a bearer token from `FakeApiServerMain` in a \
                namespace of its own, reached over a veth. After the daemon's log line `%s`, it \
                is left %.0f s, then %d Nodes get an annotation change (a watch event each, of a \
                key the daemon does not use) %d ms apart; then VmRSS is read from \
                /proc/PID/status of the daemon's java process every %d ms until the last %d \
                readings (%.0f s) are within 1 MiB of each other, at the earliest %.0f s and at \
                the latest %.0f s after that log line (RSS still falls for some seconds after it, as \
                the JVM gives memory back); the last reading's VmRSS (resident now), VmHWM (the \
                peak since start), RssAnon and RssFile are reported. Steady after %.1f–%.1f s%s. \
                %s per Node count; a fresh daemon each time. The baseline is the daemon with its \
                own Node only (N = 1). JVM flags (from the process's command line and \
                environment): `%s`. Goal (issue 5): RSS ≤ %.0f MiB with %,d Nodes."""
                    .formatted(
                        RESYNC,
                        DONE,
                        SETTLE_MILLIS / 1e3,
                        CHANGES,
                        CHANGE_PAUSE_MILLIS,
                        POLL_MILLIS,
                        STEADY_READINGS,
                        (STEADY_READINGS - 1) * POLL_MILLIS / 1e3,
                        MIN_SETTLE_MILLIS / 1e3,
                        MAX_SETTLE_MILLIS / 1e3,
                        all.stream().mapToDouble(Reading::settleSeconds).min().orElseThrow(),
                        all.stream().mapToDouble(Reading::settleSeconds).max().orElseThrow(),
                        unsteady == 0 ? "" : " (" + unsteady + " runs never steady)",
                        repeats == 1 ? "One run" : repeats + " runs",
                        flags,
                        GOAL_MIB,
                        GOAL_NODES))
            .table(
                "Nodes",
                "RSS (VmRSS)",
                "over own Node only",
                "peak (VmHWM)",
                "anon / file (median)",
                "goal");
    TreeMap<Integer, Double> rssCurve = new TreeMap<>();
    TreeMap<Integer, Double> hwmCurve = new TreeMap<>();
    readings.forEach(
        (n, list) -> {
          Sample rss = sample(list, Reading::rss);
          Sample hwm = sample(list, Reading::hwm);
          rssCurve.put(n, rss.median() / (1024 * 1024));
          hwmCurve.put(n, hwm.median() / (1024 * 1024));
          String goal =
              n == GOAL_NODES
                  ? (rss.median() <= GOAL_MIB * 1024 * 1024 ? "✔" : "✘")
                      + String.format(Locale.ROOT, " ≤ %.0f MiB", GOAL_MIB)
                  : "";
          section.row(
              n == own
                  ? String.format(Locale.ROOT, "%,d (own Node only, baseline)", n)
                  : String.format(Locale.ROOT, "%,d", n),
              rss.describeMebibytes(),
              n == own
                  ? ""
                  : (rss.median() >= baseline ? "+" : "−")
                      + Sample.mebibytes(Math.abs(rss.median() - baseline)),
              hwm.describeMebibytes(),
              Sample.mebibytes(sample(list, Reading::anon).median())
                  + " / "
                  + Sample.mebibytes(sample(list, Reading::file).median()),
              goal);
        });
    int last = rssCurve.lastKey();
    if (last != own) {
      section.text(
          String.format(
              Locale.ROOT,
              "Growth: %.1f KiB of RSS per Node from %,d to %,d Nodes (medians).",
              (rssCurve.get(last) - rssCurve.get(own)) * 1024 / (last - own),
              own,
              last));
    }
    Map<String, TreeMap<Integer, Double>> curves = new LinkedHashMap<>();
    curves.put("RSS (VmRSS)", rssCurve);
    curves.put("peak (VmHWM)", hwmCurve);
    TreeMap<Integer, Double> goal = new TreeMap<>();
    goal.put(own, GOAL_MIB);
    goal.put(Math.max(last, GOAL_NODES), GOAL_MIB);
    curves.put(
        String.format(Locale.ROOT, "goal at %,d Nodes: RSS ≤ %.0f MiB", GOAL_NODES, GOAL_MIB),
        goal);
    Plot.lines(
        ctx.docs().resolve("daemon-memory.png"),
        "Daemon memory against realistic Nodes watched",
        "Nodes",
        "MiB",
        curves);
    section.image("daemon-memory.png", "daemon RSS and peak against the number of Nodes").done();
  }

  private static Sample sample(List<Reading> list, java.util.function.ToLongFunction<Reading> f) {
    return Sample.of(list.stream().map(r -> (double) f.applyAsLong(r)).toList());
  }
}
