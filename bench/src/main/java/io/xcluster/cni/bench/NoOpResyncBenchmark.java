package io.xcluster.cni.bench;

import io.kubernetes.client.openapi.models.V1Node;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.netlink.NetlinkLocalLinks;
import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.nodes.NodesFile;
import io.xcluster.cni.router.nodes.SnapshotNodeSource;
import io.xcluster.cni.router.plan.Plan;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.reconcile.ReconcileListener;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import io.xcluster.cni.router.reconcile.RouteReconciler;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.testing.FakeNodes;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * The periodic resync when nothing changed: 5 000 dual-stack peer Nodes in the Node cache, their 10
 * 000 routes already in a namespace's kernel table, one {@link RouteReconciler#reconcileOnce()}
 * timed (Node readings, the kernel dump through the real {@link NetlinkRouteTable}, the diff).
 * Beside it, {@code ip route show proto 202} of the same routes, both families.
 */
public final class NoOpResyncBenchmark implements Benchmark {
  private static final int PEERS = 5_000;
  private static final String SELF = "node-0";

  @Override
  public String name() {
    return "resync";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int warmUp = ctx.quick() ? 30 : 300;
    int runs = ctx.quick() ? 100 : 1_000;
    int ipRuns = ctx.quick() ? 10 : 30;
    long start = System.nanoTime();
    List<V1Node> nodes = nodes(PEERS);
    System.err.printf(
        "resync: %,d Nodes built in %.1f s%n", nodes.size(), (System.nanoTime() - start) / 1e9);
    Report.Section section =
        ctx.report()
            .section(
                "No-op periodic resync with 5 000 Nodes",
                """
                5 000 dual-stack peer Nodes (`FakeNodes.small`, read and slimmed as the daemon \
                does) plus our own are in the Node cache (`SnapshotNodeSource`); their 10 000 \
                routes (`10.H.L.0/24 via 172.16.x.y` and `fd00:10:244:I::/64 via \
                fd00:192:168::I`, proto 202) are already in the main table of a fresh network \
                namespace (a veth with 172.16.0.1/12 and fd00:192:168::1/64), installed through \
                the real `NetlinkRouteTable`. Each run is one `RouteReconciler.reconcileOnce()` \
                that finds nothing to do: read the Nodes, read the namespace's addresses (an \
                RTM_GETADDR dump), dump and parse the kernel's routes of protocol 202 (both \
                families; in nexthop mode also the nexthop objects), diff. It runs on the \
                bench's warm JVM, after %d unmeasured runs, %d timed runs; "of which list()" is \
                `NetlinkRouteTable.list()` alone, timed as often. The reference is `ip -n NS -4 \
                route show proto 202` followed by `ip -n NS -6 route show proto 202` of the same \
                routes (two processes, start and text formatting included), %d runs. Goal (issue \
                5): median ≤ 20 ms."""
                    .formatted(warmUp, runs, ipRuns))
            .table(
                "kernel mode",
                "routes",
                "no-op reconcileOnce()",
                "p99",
                "of which list()",
                "`ip route show proto 202` (-4, -6)",
                "reconcile / ip",
                "goal");
    for (boolean nexthops : new boolean[] {false, true}) {
      measure(section, nodes, nexthops, warmUp, runs, ipRuns);
    }
    section.done();
  }

  private static void measure(
      Report.Section section,
      List<V1Node> nodes,
      boolean nexthops,
      int warmUp,
      int runs,
      int ipRuns)
      throws IOException {
    try (NetworkNamespace ns = DaemonProcess.nodeNamespace("resync", 0);
        NetlinkRouteTable table =
            NetlinkRouteTable.open(Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, nexthops, ns.path())) {
      RouteReconciler reconciler =
          new RouteReconciler(
              new SnapshotNodeSource(nodes),
              new NodeReadingCache(projection()),
              table,
              new NetlinkLocalLinks(ns.path()),
              new RoutePlanner(
                  new PlannerConfig(
                      SELF, Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, OptionalInt.empty())),
              new ReconcileListener() {},
              Duration.ofSeconds(60));
      // Installed without the reconciler, which would log every one of the 10 000 routes.
      Plan install = reconciler.plan();
      List<RouteFailure> failures = table.apply(install.ops());
      if (!failures.isEmpty() || install.ops().size() != 2 * PEERS) {
        throw new IllegalStateException(
            install.ops().size() + " routes planned, " + failures.size() + " failed");
      }
      int installed = table.list().size();
      System.err.printf("resync: %,d routes installed%n", installed);
      for (int i = 0; i < warmUp; i++) {
        noOp(reconciler);
      }
      List<Double> reconcile = new ArrayList<>();
      List<Double> list = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        reconcile.add(noOp(reconciler));
        long start = System.nanoTime();
        table.list();
        list.add((System.nanoTime() - start) / 1e9);
      }
      List<Double> ip = new ArrayList<>();
      for (int i = 0; i < ipRuns + 1; i++) {
        long start = System.nanoTime();
        int lines = ipShow(ns, "-4") + ipShow(ns, "-6");
        double seconds = (System.nanoTime() - start) / 1e9;
        if (lines != installed) {
          throw new IllegalStateException("ip shows " + lines + " routes of " + installed);
        }
        if (i > 0) { // the first one fills the page cache
          ip.add(seconds);
        }
      }
      Sample r = Sample.of(reconcile);
      Sample l = Sample.of(list);
      Sample i = Sample.of(ip);
      section.row(
          nexthops ? "nexthop objects (`--nexthops`)" : "plain",
          String.format(Locale.ROOT, "%,d", installed),
          r.describeSeconds(),
          Sample.seconds(r.percentile(99)),
          l.describeSeconds(),
          i.describeSeconds(),
          String.format(Locale.ROOT, "%.2f×", r.median() / i.median()),
          (r.median() <= 0.020 ? "✔" : "✘") + " ≤ 20 ms");
      System.err.printf(
          "resync: %s: reconcile %s, list %s, ip %s%n",
          nexthops ? "nexthops" : "plain",
          r.describeSeconds(),
          l.describeSeconds(),
          i.describeSeconds());
    }
  }

  /** One reconcile, which must find nothing to do; its wall time in seconds. */
  private static double noOp(RouteReconciler reconciler) throws IOException {
    long start = System.nanoTime();
    ReconcileOutcome o = reconciler.reconcileOnce();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!o.plan().ops().isEmpty() || !o.failures().isEmpty()) {
      throw new IllegalStateException("not a no-op: " + o.plan().ops().size() + " operations");
    }
    return seconds;
  }

  private static int ipShow(NetworkNamespace ns, String family) {
    String out = ns.ip(family, "route", "show", "proto", String.valueOf(Route.DEFAULT_PROTOCOL));
    return (int) out.lines().count();
  }

  private static NodeProjection projection() {
    return new NodeProjection(NodeAnnotations.fromSpec());
  }

  /** Our own Node and {@code peers} others, read from JSON and slimmed as the informer does. */
  static List<V1Node> nodes(int peers) {
    StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
    for (int i = 0; i <= peers; i++) {
      items.add(FakeNodes.small("node-" + i, i));
    }
    NodeProjection projection = projection();
    return NodesFile.parse(items.toString()).stream().map(projection::slim).toList();
  }
}
