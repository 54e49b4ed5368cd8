package io.xcluster.cni.router.bench;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.daemon.RouterDaemon;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.nodes.InformerNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import io.xcluster.cni.router.route.Route;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rough harness (not a test): the daemon with an in-memory kernel, watching N realistic Nodes of
 * a {@link FakeClusterMain} in another process. Prints the process RSS once all routes are in, and
 * the time from an annotation patch to the route in the (in-memory) kernel. Run with the daemon's
 * JVM flags, e.g. {@code -XX:+UseSerialGC -Xmx64m}: {@code DaemonFootprintBench N RUNS}.
 */
public final class DaemonFootprintBench {
  private DaemonFootprintBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int runs = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("footprint");
    Path kubeconfig = dir.resolve("kubeconfig");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process cluster =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                FakeClusterMain.class.getName(),
                Integer.toString(n),
                kubeconfig.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader clusterOut =
        new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter clusterIn =
        new PrintWriter(cluster.getOutputStream(), true, StandardCharsets.UTF_8);
    System.out.println("cluster: " + clusterOut.readLine());

    ApiClient client;
    try (var r = Files.newBufferedReader(kubeconfig)) {
      client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r)).build();
    }
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    NodeProjection projection =
        new NodeProjection(
            new NodeAnnotations(Optional.of(FakeClusterMain.CIDR), Optional.empty()));
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    long start = System.nanoTime();
    RouterDaemon daemon =
        new RouterDaemon(
            new RouterDaemon.Settings(
                new RoutePlanner(
                    new PlannerConfig(
                        "self", Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, OptionalInt.empty())),
                projection,
                Duration.ofSeconds(60),
                Optional.empty()),
            new RouterDaemon.Parts(
                kernel,
                new InformerNodeSource(client, projection),
                LocalLinks.fixed(LocalAddresses.none()),
                Optional.empty(),
                Optional.empty()));
    daemon.start();
    while (kernel.list().size() < n - 1) {
      Thread.sleep(5);
    }
    System.out.printf(
        "cold start: %d routes in %d ms%n", n - 1, (System.nanoTime() - start) / 1_000_000);
    System.gc();
    Thread.sleep(2000);
    System.out.println("after sync: " + rss());

    long[] micros = new long[runs];
    for (int i = 0; i < runs; i++) {
      String cidr = "172.30." + (i >> 8) + "." + (i & 255) + "/32";
      Cidr dst = Cidr.parse(cidr);
      long t = System.nanoTime();
      clusterIn.println("set node-1 " + cidr);
      if (!kernel.awaitRoute(dst, 10_000)) {
        throw new IllegalStateException("no route to " + dst);
      }
      micros[i] = (System.nanoTime() - t) / 1000;
      clusterOut.readLine();
    }
    Arrays.sort(micros);
    System.out.printf(
        "annotation patch -> route (in-memory kernel): p50 %.1f ms, p99 %.1f ms over %d%n",
        micros[runs / 2] / 1000.0, micros[Math.min(runs - 1, runs * 99 / 100)] / 1000.0, runs);
    System.out.println("end: " + rss());
    daemon
        .metrics()
        .registry()
        .scrape()
        .forEach(
            snapshot ->
                snapshot
                    .getDataPoints()
                    .forEach(
                        p -> {
                          if (p
                              instanceof
                              io.prometheus.metrics.model.snapshots.HistogramSnapshot
                                      .HistogramDataPointSnapshot
                                  h) {
                            System.out.printf(
                                "reconciles: %d, mean %.1f ms%n",
                                h.getCount(), 1000 * h.getSum() / h.getCount());
                          }
                        }));
    daemon.close();
    clusterIn.println("quit");
    cluster.waitFor();
  }

  static String rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
        System.out.print(line.replaceAll("\\s+", " ") + "  ");
      }
    }
    Runtime rt = Runtime.getRuntime();
    return "heap used " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " MiB";
  }
}
