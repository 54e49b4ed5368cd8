package io.xcluster.cni.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Route installation side by side: {@code ip -batch} against {@link NetlinkRouteTable} in plain and
 * in nexthop mode, each run into a fresh, empty namespace (a veth with 192.168.0.1/16 and
 * fd00::1/64; routes {@code 10.a.b.0/24 via 192.168.x.y proto 202}, one gateway per route, as one
 * gateway per node), and listing 10 000 owned routes.
 */
public final class RouteInstallBenchmark implements Benchmark {
  private static final int PROTOCOL = 202;

  @Override
  public String name() {
    return "routes";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int[] sizes =
        ctx.quick()
            ? new int[] {1_000, 5_000, 10_000}
            : new int[] {1_000, 5_000, 10_000, 20_000, 50_000};
    warmUp();
    Report.Section section =
        ctx.report()
            .section(
                "Route install: ip -batch vs rtnetlink (plain and nexthop objects)",
                """
                Each run installs N IPv4 routes with distinct gateways (`10.a.b.0/24 via \
                192.168.x.y proto 202`, one gateway per peer node as in a real cluster) into a \
                fresh, empty network namespace with a veth holding 192.168.0.1/16: `ip -batch` \
                (one request and ACK per route, `ip` start included), `NetlinkRouteTable` plain \
                (pipelined requests, ACKs collected) and in nexthop mode (one nexthop object per \
                gateway, routes refer to it by id). The JVM is warm; the daemon pays its start \
                once. Goals (issue 4): plain ≤ 1.1× `ip -batch`; nexthop ≤ 0.3× plain `ip -batch` \
                at 10 k and linear up to 50 k. Where `ip -batch` is left out (50 k in a quick \
                run, 1 run in a full one) it takes minutes: the kernel's IPv4 fib_info lookup is \
                linear in the number of distinct gateways, so the total is quadratic.""")
            .table(
                "family",
                "routes",
                "ip -batch",
                "plain",
                "plain / ip -batch",
                "nexthop",
                "nexthop / ip -batch");
    Map<String, TreeMap<Integer, Double>> curves = new LinkedHashMap<>();
    curves.put("ip -batch", new TreeMap<>());
    curves.put("rtnetlink plain", new TreeMap<>());
    curves.put("rtnetlink nexthop objects", new TreeMap<>());
    for (int n : sizes) {
      boolean huge = n >= 50_000;
      int reps = ctx.quick() ? 3 : huge ? 1 : 5;
      row(section, "IPv4", n, reps, RouteInstallBenchmark::ipv4, true, curves);
    }
    if (ctx.quick()) {
      // Linearity of nexthop mode up to 50 k is part of the goal: measured alone.
      row(section, "IPv4", 50_000, 1, RouteInstallBenchmark::ipv4, false, curves);
    }
    row(section, "IPv6", 10_000, ctx.quick() ? 3 : 5, RouteInstallBenchmark::ipv6, true, null);
    TreeMap<Integer, Double> nexthop = curves.get("rtnetlink nexthop objects");
    StringBuilder perRoute = new StringBuilder("Nexthop mode per route (linear means flat):");
    nexthop.forEach(
        (n, seconds) ->
            perRoute.append(String.format(Locale.ROOT, " %,d: %.1f µs;", n, seconds / n * 1e6)));
    section.text(perRoute.substring(0, perRoute.length() - 1) + ".");
    Plot.lines(
        ctx.docs().resolve("route-install.png"),
        "Installing IPv4 routes with distinct gateways",
        "routes",
        "seconds",
        curves);
    section.image("route-install.png", "install time against route count");

    Sample dump = dump(10_000, ctx.quick() ? 10 : 30);
    section
        .table("what", "routes", "time", "goal")
        .row(
            "list() of owned routes (dump, filter, parse)",
            "10,000",
            dump.describeSeconds(),
            (dump.median() <= 0.020 ? "✔" : "✘") + " ≤ 20 ms");
    section.done();
  }

  private static void row(
      Report.Section section,
      String family,
      int n,
      int reps,
      IntFunction<Route> make,
      boolean baseline,
      Map<String, TreeMap<Integer, Double>> curves)
      throws IOException {
    List<Route> routes = routes(n, make);
    List<Double> ip = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    List<Double> nexthop = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      if (baseline) {
        ip.add(ipBatch(routes));
        plain.add(netlink(routes, false));
      }
      nexthop.add(netlink(routes, true));
    }
    Sample nh = Sample.of(nexthop);
    if (baseline) {
      Sample ipS = Sample.of(ip);
      Sample plainS = Sample.of(plain);
      section.row(
          family,
          String.format(Locale.ROOT, "%,d", n),
          ipS.describeSeconds(),
          plainS.describeSeconds(),
          Report.ratio(plainS.median() / ipS.median(), 1.1),
          nh.describeSeconds(),
          n == 10_000 && family.equals("IPv4")
              ? Report.ratio(nh.median() / ipS.median(), 0.3)
              : String.format(Locale.ROOT, "%.2f×", nh.median() / ipS.median()));
      if (curves != null) {
        curves.get("ip -batch").put(n, ipS.median());
        curves.get("rtnetlink plain").put(n, plainS.median());
      }
    } else {
      section.row(
          family,
          String.format(Locale.ROOT, "%,d", n),
          "not run",
          "not run",
          "–",
          nh.describeSeconds(),
          "–");
    }
    if (curves != null) {
      curves.get("rtnetlink nexthop objects").put(n, nh.median());
    }
    System.err.printf("routes: %s %,d done%n", family, n);
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

  private static void warmUp() throws IOException {
    List<Route> routes = routes(2_000, RouteInstallBenchmark::ipv4);
    for (int i = 0; i < 3; i++) {
      netlink(routes, false);
      netlink(routes, true);
    }
  }

  private static Sample dump(int n, int runs) throws IOException {
    List<Double> times = new ArrayList<>();
    try (NetworkNamespace ns = namespace();
        NetlinkRouteTable t =
            NetlinkRouteTable.open(PROTOCOL, Route.MAIN_TABLE, false, ns.path())) {
      check(t.apply(replaceAll(routes(n, RouteInstallBenchmark::ipv4))));
      for (int i = 0; i < 20; i++) {
        t.list(); // the daemon lists on every resync: measure it warm
      }
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        int listed = t.list().size();
        times.add((System.nanoTime() - start) / 1e9);
        if (listed != n) {
          throw new IllegalStateException("listed " + listed + " of " + n);
        }
      }
    }
    return Sample.of(times);
  }

  private static double ipBatch(List<Route> routes) throws IOException {
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

  private static double netlink(List<Route> routes, boolean nexthops) throws IOException {
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
    ns.addVethPair("v0", "v1", "192.168.0.1/16", "fd00::1/64");
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
}
