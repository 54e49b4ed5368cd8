package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon command in-process: nodes file in, in-memory kernel out. */
@Timeout(60)
class DaemonCommandTest {
  static String nodes(String... peers) {
    StringBuilder sb =
        new StringBuilder(
            """
            kind: List
            items:
            - metadata: {name: self}
              spec: {podCIDRs: [10.0.0.0/24]}
              status: {addresses: [{type: InternalIP, address: 192.168.1.10}]}
            """);
    int i = 1;
    for (String peer : peers) {
      sb.append("- metadata: {name: ")
          .append(peer)
          .append("}\n  spec: {podCIDRs: [10.")
          .append(i)
          .append(".0.0/24]}\n  status: {addresses: [{type: InternalIP, address: 192.168.1.")
          .append(i++)
          .append("}]}\n");
    }
    return sb.toString();
  }

  @TempDir Path dir;

  String[] args(Path nodesFile) {
    return new String[] {
      "daemon",
      "--node-name=self",
      "--nodes-file=" + nodesFile,
      "--lock-dir=" + dir.resolve("lock"),
      "--metrics-address=127.0.0.1:0",
      "--resync-period=5s",
      "--log-level=warn"
    };
  }

  @Test
  void routesFollowTheFileAndTheKernelAndStayAfterStop() throws Exception {
    Path file = Files.writeString(dir.resolve("nodes.yaml"), nodes("a", "b"));
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    CommandRun run = new CommandRun(kernel);
    DaemonCommand command = run.command("daemon");
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.execute(args(file)));

    waitUntil(() -> command.daemon != null && command.daemon.ready());
    assertThat(dsts(kernel)).containsExactlyInAnyOrder("10.1.0.0/24", "10.2.0.0/24");
    int port = command.daemon.healthPort().orElseThrow();
    assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
    String metrics = get(port, "/metrics").body();
    assertThat(metrics)
        .contains("xcluster_cni_routes_desired 2.0")
        .contains("xcluster_cni_routes_installed 2.0")
        .contains("xcluster_cni_route_operations_total{op=\"replace\",result=\"success\"} 2.0")
        .contains("xcluster_cni_reconcile_duration_seconds_count")
        .contains("xcluster_cni_last_successful_reconcile_timestamp_seconds");

    // A Node added to the file.
    Path tmp = dir.resolve("nodes.tmp");
    Files.writeString(tmp, nodes("a", "b", "c"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    waitUntil(() -> dsts(kernel).contains("10.3.0.0/24"));

    // An owned route deleted behind our back comes back on the kernel's report.
    kernel.deleteExternally(Cidr.parse("10.2.0.0/24"));
    waitUntil(() -> dsts(kernel).contains("10.2.0.0/24"));

    // A second router with the same protocol refuses to start.
    CommandRun second = new CommandRun(new InMemoryRouteTable());
    assertThat(second.execute(args(file))).isEqualTo(1);
    assertThat(second.err()).contains("another xcluster-cni router already runs with protocol 202");

    command.stop.countDown();
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(dsts(kernel)).containsExactlyInAnyOrder("10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24");
    assertThat(kernel.watcherCount()).as("kernel watch closed").isZero();
  }

  @Test
  void aMissingFileDeletesNothing() throws Exception {
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    kernel.add(
        io.xcluster.cni.router.route.Route.of(
            Cidr.parse("10.7.0.0/24"),
            io.xcluster.cni.annotations.IpLiteral.parse("192.168.1.7"),
            202,
            254));
    CommandRun run = new CommandRun(kernel);
    DaemonCommand command = run.command("daemon");
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> run.execute(args(dir.resolve("absent.yaml"))));
    waitUntil(() -> command.daemon != null);
    int port = command.daemon.healthPort().orElseThrow();
    Thread.sleep(500);
    assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
    assertThat(kernel.applied()).isEmpty();
    command.stop.countDown();
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(dsts(kernel)).containsExactlyInAnyOrder("10.7.0.0/24");
  }

  static java.util.List<String> dsts(InMemoryRouteTable kernel) {
    try {
      return kernel.list().stream().map(r -> r.dst().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 20 s");
      }
      Thread.sleep(10);
    }
  }
}
