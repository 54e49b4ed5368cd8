package io.xcluster.cni.router.bench;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Route installation side by side: {@code ip -batch} against {@link NetlinkRouteTable} in plain and
 * in nexthop mode, into an empty network namespace per measurement (a veth with 192.168.0.1/16 and
 * fd00::1/64, routes {@code 10.a.b.0/24 via 192.168.x.y proto 202}, one gateway per route), and the
 * time to list 10 000 owned routes. Prints a markdown table of medians, spreads, ratios against
 * {@code ip -batch} and the goals of issue 4.
 *
 * <p>Not a test: needs root, takes minutes, and its numbers go to docs/benchmarks.md, never into
 * assertions. {@code ip -batch} times include starting {@code ip} (~3 ms); netlink times do not
 * include starting the JVM, which the daemon pays once. Run from the repository root:
 *
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *     -Dmdep.includeScope=test -pl router -am
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *     -cp router/target/test-classes:router/target/classes:$(cat router/target/bench.cp) \
 *     io.xcluster.cni.router.bench.RouteInstallBench [--quick] [--reps N]
 * </pre>
 *
 * {@code --quick} leaves out the 50 k runs of {@code ip -batch} and plain netlink (about a minute
 * each); nexthop mode still runs at 50 k.
 */
public final class RouteInstallBench {
  private static final int PROTOCOL = 202;

  private final int reps;
  private final StringBuilder table = new StringBuilder();

  private RouteInstallBench(int reps) {
    this.reps = reps;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int reps = 3;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--reps")) {
        reps = Integer.parseInt(args[i + 1]);
      }
    }
    NetworkNamespace.deleteLeftovers();
    RouteInstallBench bench = new RouteInstallBench(reps);
    bench.warmUp();
    bench.header();
    for (int n : new int[] {1_000, 10_000, 20_000, 50_000}) {
      boolean slow = n == 50_000;
      bench.install("IPv4", n, RouteInstallBench::ipv4, !(quick && slow));
    }
    bench.install("IPv6", 10_000, RouteInstallBench::ipv6, true);
    bench.dump(10_000);
    System.out.println(bench.table);
    System.out.println(
        "Goals: plain ≤ 1.1× ip -batch; nexthop ≤ 0.3× ip -batch at 10 k and linear to 50 k;"
            + " dump of 10 k ≤ 20 ms. Median of "
            + reps
            + " runs, [min–max]; each run in a fresh namespace.");
  }

  static Route ipv4(int i) {
    return Route.of(
        Cidr.parse("10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".0/24"),
        IpLiteral.parse("192.168." + (1 + i / 250) + "." + (2 + i % 250)),
        PROTOCOL,
        Route.MAIN_TABLE);
  }

  static Route ipv6(int i) {
    return Route.of(
        Cidr.parse("fd01:" + Integer.toHexString(i) + "::/64"),
        IpLiteral.parse("fd00::" + Integer.toHexString(i + 2)),
        PROTOCOL,
        Route.MAIN_TABLE);
  }

  private void header() {
    table.append(
        "| routes | n | ip -batch (s) | netlink plain (s) | plain / ip | netlink nexthop (s) |"
            + " nexthop / ip |\n");
    table.append("|---|---|---|---|---|---|---|\n");
  }

  private void warmUp() throws Exception {
    List<Route> routes = routes(2_000, RouteInstallBench::ipv4);
    for (int i = 0; i < 3; i++) {
      netlink(routes, false);
      netlink(routes, true);
    }
  }

  private void install(String family, int n, IntFunction<Route> make, boolean withPlain)
      throws Exception {
    List<Route> routes = routes(n, make);
    double[] ip = new double[reps];
    double[] plain = new double[reps];
    double[] nexthop = new double[reps];
    for (int r = 0; r < reps; r++) {
      if (withPlain) {
        ip[r] = ipBatch(routes);
        plain[r] = netlink(routes, false);
      }
      nexthop[r] = netlink(routes, true);
    }
    String ipCell = withPlain ? stats(ip) : "skipped";
    String plainCell = withPlain ? stats(plain) : "skipped";
    String plainRatio = withPlain ? ratio(plain, ip) : "–";
    String nexthopRatio = withPlain ? ratio(nexthop, ip) : "–";
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %,d | %s | %s | %s | %s | %s |%n",
            family,
            n,
            ipCell,
            plainCell,
            plainRatio,
            stats(nexthop),
            nexthopRatio));
    System.err.println("done: " + family + " " + n);
  }

  private void dump(int n) throws Exception {
    List<Route> routes = routes(n, RouteInstallBench::ipv4);
    double[] times = new double[Math.max(reps, 10)];
    try (NetworkNamespace ns = namespace();
        NetlinkRouteTable t =
            NetlinkRouteTable.open(PROTOCOL, Route.MAIN_TABLE, false, ns.path())) {
      check(t.apply(replaceAll(routes)));
      for (int i = 0; i < 20; i++) {
        t.list(); // the daemon lists every few seconds: measure it warm
      }
      for (int i = 0; i < times.length; i++) {
        long start = System.nanoTime();
        int listed = t.list().size();
        times[i] = (System.nanoTime() - start) / 1e9;
        if (listed != n) {
          throw new IllegalStateException("listed " + listed + " of " + n);
        }
      }
    }
    table.append("\n| dump | n | list() (ms) |\n|---|---|---|\n");
    double[] ms = Arrays.stream(times).map(s -> s * 1000).toArray();
    table.append(String.format(Locale.ROOT, "| IPv4 owned | %,d | %s |%n", n, stats(ms, "%.1f")));
  }

  private double ipBatch(List<Route> routes) throws IOException {
    Path batch = Files.createTempFile("routes", ".batch");
    try (NetworkNamespace ns = namespace()) {
      StringBuilder sb = new StringBuilder();
      for (Route r : routes) {
        sb.append("route add ")
            .append(r.dst())
            .append(" via ")
            .append(IpLiteral.format(r.gateway()))
            .append(" proto ")
            .append(PROTOCOL)
            .append('\n');
      }
      Files.writeString(batch, sb);
      long start = System.nanoTime();
      NetworkNamespace.run(List.of("ip", "-n", ns.name(), "-batch", batch.toString()));
      return (System.nanoTime() - start) / 1e9;
    } finally {
      Files.delete(batch);
    }
  }

  private double netlink(List<Route> routes, boolean nexthops) throws IOException {
    try (NetworkNamespace ns = namespace();
        NetlinkRouteTable t =
            NetlinkRouteTable.open(PROTOCOL, Route.MAIN_TABLE, nexthops, ns.path())) {
      List<RouteOp> ops = replaceAll(routes);
      long start = System.nanoTime();
      List<RouteFailure> failures = t.apply(ops);
      double seconds = (System.nanoTime() - start) / 1e9;
      check(failures);
      return seconds;
    }
  }

  private static NetworkNamespace namespace() {
    NetworkNamespace ns = NetworkNamespace.create("bench");
    ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
    ns.ip("addr", "add", "192.168.0.1/16", "dev", "v0");
    ns.ip("-6", "addr", "add", "fd00::1/64", "dev", "v0", "nodad");
    ns.ip("link", "set", "v0", "up");
    ns.ip("link", "set", "v1", "up");
    return ns;
  }

  private static List<Route> routes(int n, IntFunction<Route> make) {
    List<Route> routes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      routes.add(make.apply(i));
    }
    return routes;
  }

  private static List<RouteOp> replaceAll(List<Route> routes) {
    return routes.stream().<RouteOp>map(RouteOp.Replace::new).toList();
  }

  private static void check(List<RouteFailure> failures) {
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size() + " routes failed, the first: " + failures.getFirst());
    }
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String stats(double[] xs) {
    return stats(xs, "%.3f");
  }

  private static String stats(double[] xs, String format) {
    double min = Arrays.stream(xs).min().orElseThrow();
    double max = Arrays.stream(xs).max().orElseThrow();
    return String.format(
        Locale.ROOT, format + " [" + format + "–" + format + "]", median(xs), min, max);
  }

  private static String ratio(double[] a, double[] b) {
    return String.format(Locale.ROOT, "%.2f×", median(a) / median(b));
  }
}
