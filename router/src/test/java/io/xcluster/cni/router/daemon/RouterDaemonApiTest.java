package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.kube.KubeHttp;
import io.xcluster.cni.router.nodes.InformerNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon over real HTTP against the fake API server: annotations in, routes out, Events for
 * problems (once each), the own addresses published, and an API outage that costs no route.
 */
@Timeout(90)
class RouterDaemonApiTest {
  static final String CIDR = "cidr.example.com/net3";
  static final String ADDR = "addr.example.com/net3";
  static final LocalAddresses HOST =
      new LocalAddresses(
          List.of(
              LinkAddress.of("eth0", "172.16.0.1/16"),
              LinkAddress.of("eth2", "192.168.3.10/24"),
              LinkAddress.of("eth2", "fd00:3::10/64"),
              LinkAddress.of("eth2", "fe80::10/64")));

  @TempDir Path dir;

  @Test
  void followsAnnotationsPostsProblemsOnceAndSurvivesAnOutage() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      server.putNode(FakeNodes.realistic("self", 0, Map.of(CIDR, "172.20.0.0/24")));
      server.putNode(
          FakeNodes.realistic("a", 1, Map.of(CIDR, "172.20.1.0/24", ADDR, "192.168.3.1")));
      server.putNode(
          FakeNodes.realistic("b", 2, Map.of(CIDR, "172.20.2.0/24", ADDR, "192.168.3.2")));
      ApiClient client = client(server);
      InMemoryRouteTable kernel = new InMemoryRouteTable();
      NodeProjection projection =
          new NodeProjection(new NodeAnnotations(Optional.of(CIDR), Optional.of(ADDR)));
      LocalLinks links = LocalLinks.fixed(HOST);
      RouterDaemon daemon =
          new RouterDaemon(
              new RouterDaemon.Settings(
                  new RoutePlanner(
                      new PlannerConfig(
                          "self", Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, OptionalInt.empty())),
                  projection,
                  Duration.ofMillis(500),
                  Optional.empty()),
              new RouterDaemon.Parts(
                  kernel,
                  new InformerNodeSource(KubeHttp.of(client), projection),
                  links,
                  Optional.of(new KubeNodeEventSink(() -> client, "self", Clock.systemUTC())),
                  Optional.of(
                      new OwnAddressPublisher(
                          links, "eth2", ADDR, "self", OwnAddressPublisher.kube(() -> client)))));
      try {
        daemon.start();
        waitUntil(daemon::ready);
        waitUntil(() -> routes(kernel).size() == 2);
        assertThat(routes(kernel))
            .containsExactlyInAnyOrder(
                "172.20.1.0/24 via 192.168.3.1", "172.20.2.0/24 via 192.168.3.2");

        // --address-interface: the own addresses on eth2, IPv4 first, no link-local. The
        // publisher runs beside the reconciler: the routes may be in before the annotation.
        waitUntil(() -> server.nodeAnnotations("self").orElseThrow().containsKey(ADDR));
        assertThat(server.nodeAnnotations("self").orElseThrow())
            .containsEntry(ADDR, "192.168.3.10,fd00:3::10");

        // An annotation change moves the route.
        server.patchNodeAnnotations("a", Map.of(ADDR, "192.168.3.101"), List.of());
        waitUntil(() -> routes(kernel).contains("172.20.1.0/24 via 192.168.3.101"));

        // A malformed value: one Event, the route kept, however many reconciles follow.
        server.patchNodeAnnotations("b", Map.of(CIDR, "172.20.2.0/33"), List.of());
        waitUntil(() -> !events(server, "b").isEmpty());
        Thread.sleep(1500); // three resync periods
        assertThat(events(server, "b"))
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.path("type").asText()).isEqualTo("Warning");
                  assertThat(e.path("reason").asText()).isEqualTo("RouteProblem");
                  assertThat(e.path("involvedObject").path("kind").asText()).isEqualTo("Node");
                  assertThat(e.path("message").asText()).contains("172.20.2.0/33");
                });
        assertThat(routes(kernel)).contains("172.20.2.0/24 via 192.168.3.2");

        // The API server goes away: routes stay through resyncs, and changes made meanwhile
        // arrive once it is back.
        server.setDown(true);
        Thread.sleep(1500);
        assertThat(routes(kernel))
            .containsExactlyInAnyOrder(
                "172.20.1.0/24 via 192.168.3.101", "172.20.2.0/24 via 192.168.3.2");
        server.patchNodeAnnotations("b", Map.of(CIDR, "172.20.12.0/24"), List.of());
        server.setDown(false);
        waitUntil(() -> routes(kernel).contains("172.20.12.0/24 via 192.168.3.2"));
        assertThat(routes(kernel)).doesNotContain("172.20.2.0/24 via 192.168.3.2");
        assertThat(kernel.kernelRoutes()).hasSize(2);
      } finally {
        daemon.close();
      }
      assertThat(routes(kernel)).hasSize(2);
    }
  }

  ApiClient client(FakeApiServer server) throws IOException {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    try (Reader r = Files.newBufferedReader(kubeconfig)) {
      ApiClient client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r)).build();
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      return client;
    }
  }

  static List<JsonNode> events(FakeApiServer server, String node) {
    return server.events().stream()
        .filter(e -> node.equals(e.path("involvedObject").path("name").asText()))
        .toList();
  }

  static List<String> routes(InMemoryRouteTable kernel) {
    try {
      return kernel.list().stream()
          .map(r -> r.dst() + " via " + IpLiteral.format(r.gateway()))
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      Thread.sleep(10);
    }
  }
}
