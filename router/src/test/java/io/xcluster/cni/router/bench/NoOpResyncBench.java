package io.xcluster.cni.router.bench;

import io.kubernetes.client.openapi.models.V1Node;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.host.JdkLocalLinks;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.nodes.CacheNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.nodes.TestNodes;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.reconcile.ReconcileListener;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import io.xcluster.cni.router.reconcile.RouteReconciler;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import io.xcluster.cni.router.route.Route;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * A rough harness (not a test, no assertion) for the no-op periodic resync: N dual-stack Nodes in a
 * client-java Cache, their routes already in the in-memory kernel, one reconcile timed. The kernel
 * dump itself is not included (the in-memory table answers from a map); add ~5 ms per 5 000 routes
 * for rtnetlink (peers.md §2). Run: {@code java -cp ... NoOpResyncBench [nodes] [runs]}.
 */
public final class NoOpResyncBench {
  private NoOpResyncBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    CacheNodeSource nodes = new CacheNodeSource();
    nodes.put(TestNodes.peer("self", "10.255.255.0/24", "172.16.0.1"));
    for (int i = 0; i < n; i++) {
      V1Node node =
          TestNodes.withInternalIp(
              TestNodes.withPodCidrs(
                  TestNodes.node("node-" + i),
                  "10." + (i >> 8) + "." + (i & 255) + ".0/24",
                  "fd00:10:244:" + Integer.toHexString(i) + "::/64"),
              "172.16." + ((i + 2) >> 8) + "." + ((i + 2) & 255),
              "fd00:172:16::" + Integer.toHexString(i + 2));
      nodes.put(node);
    }
    nodes.synced();
    LocalAddresses host =
        new LocalAddresses(
            List.of(
                LinkAddress.of("lo", "127.0.0.1/8"),
                LinkAddress.of("eth0", "172.16.0.1/16"),
                LinkAddress.of("eth0", "fd00:172:16::1/64")));
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    RouteReconciler reconciler =
        new RouteReconciler(
            nodes,
            new NodeReadingCache(new NodeProjection(NodeAnnotations.fromSpec())),
            kernel,
            LocalLinks.fixed(host),
            new RoutePlanner(
                new PlannerConfig(
                    "self", Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, OptionalInt.empty())),
            new ReconcileListener() {},
            Duration.ofSeconds(60));
    ReconcileOutcome first = reconciler.reconcileOnce();
    System.out.printf(
        "cold: %d routes installed, %d ops, %d ms%n",
        first.installed(), first.done().size(), first.took().toMillis());
    long[] micros = new long[runs];
    long[] cpuMicros = new long[runs];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < runs; i++) {
      long cpu = threads.getCurrentThreadCpuTime();
      ReconcileOutcome o = reconciler.reconcileOnce();
      cpuMicros[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1000;
      if (!o.plan().ops().isEmpty()) {
        throw new IllegalStateException("not a no-op: " + o.plan().ops().size());
      }
      micros[i] = o.took().toNanos() / 1000;
    }
    Arrays.sort(micros);
    Arrays.sort(cpuMicros);
    System.out.printf(
        "no-op resync CPU time of the reconciling thread: p50 %.2f ms, p90 %.2f ms%n",
        cpuMicros[runs / 2] / 1000.0, cpuMicros[runs * 9 / 10] / 1000.0);
    System.out.printf(
        "no-op resync, %d nodes (%d routes): p50 %.2f ms, p90 %.2f ms, max %.2f ms over %d runs%n",
        n,
        first.installed(),
        micros[runs / 2] / 1000.0,
        micros[runs * 9 / 10] / 1000.0,
        micros[runs - 1] / 1000.0,
        runs);
    // One Node changes before each reconcile: the desired routes are computed again.
    long[] changedMicros = new long[runs];
    for (int i = 0; i < runs; i++) {
      nodes.put(
          TestNodes.peer(
              "node-1", "10.200." + (i >> 8 & 255) + "." + (i & 255) + "/32", "172.16.0.3"));
      ReconcileOutcome o = reconciler.reconcileOnce();
      changedMicros[i] = o.took().toNanos() / 1000;
    }
    Arrays.sort(changedMicros);
    System.out.printf(
        "one Node changed, %d nodes: reconcile p50 %.2f ms, p90 %.2f ms%n",
        n, changedMicros[runs / 2] / 1000.0, changedMicros[runs * 9 / 10] / 1000.0);
    JdkLocalLinks links = new JdkLocalLinks();
    long[] linkMicros = new long[50];
    for (int i = 0; i < linkMicros.length; i++) {
      long t = System.nanoTime();
      links.read();
      linkMicros[i] = (System.nanoTime() - t) / 1000;
    }
    Arrays.sort(linkMicros);
    System.out.printf(
        "JdkLocalLinks.read() on this host (%d addresses): p50 %.2f ms%n",
        links.read().links().size(), linkMicros[25] / 1000.0);
  }
}
