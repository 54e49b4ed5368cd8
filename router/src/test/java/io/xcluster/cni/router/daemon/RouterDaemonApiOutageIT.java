package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.kube.KubeClients;
import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.nodes.InformerNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server away for a minute: the kernel routes stay through every resync, a route deleted
 * meanwhile comes back from what the router last knew, and a change made during the outage arrives
 * once the server is back.
 */
@KernelTest
@Timeout(180)
class RouterDaemonApiOutageIT {
  static final Duration OUTAGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void routesStayWhileTheApiIsDownThenConverge() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create("outage");
        FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "t0ken")) {
      ns.addVethPair("veth0", "veth1", "192.168.7.10/24");
      server.putNode(node("self", "10.0.0.0/24", "192.168.7.10"));
      server.putNode(node("a", "10.1.0.0/24", "192.168.7.1"));
      server.putNode(node("b", "10.2.0.0/24", "192.168.7.2"));
      KubeClients.DaemonConnection api =
          KubeClients.connectDaemon(server.writeKubeconfig(dir.resolve("kubeconfig")));
      assertThat(api.lean()).as("https, its CA and a token: straight through okhttp").isTrue();
      NodeProjection projection = new NodeProjection(NodeAnnotations.fromSpec());
      RouterDaemon daemon =
          new RouterDaemon(
              new RouterDaemon.Settings(
                  new RoutePlanner(
                      new PlannerConfig("self", 202, Route.MAIN_TABLE, OptionalInt.empty())),
                  projection,
                  Duration.ofSeconds(1),
                  Optional.empty()),
              new RouterDaemon.Parts(
                  NetlinkRouteTable.open(202, Route.MAIN_TABLE, false, ns.path()),
                  new InformerNodeSource(api.http(), projection),
                  LocalLinks.fixed(
                      new LocalAddresses(List.of(LinkAddress.of("veth0", "192.168.7.10/24")))),
                  Optional.empty(),
                  Optional.empty()));
      try {
        daemon.start();
        RouterDaemonKernelIT.waitUntil(
            () -> routes(ns).contains("10.1.0.0/24") && routes(ns).contains("10.2.0.0/24"));
        String before = routes(ns);

        server.setDown(true);
        long end = System.nanoTime() + OUTAGE.toNanos();
        boolean deleted = false;
        while (System.nanoTime() < end) {
          Thread.sleep(2_000);
          if (!deleted && System.nanoTime() > end - OUTAGE.toNanos() / 2) {
            ns.ip("route", "del", "10.1.0.0/24", "proto", "202");
            deleted = true;
            RouterDaemonKernelIT.waitUntil(() -> routes(ns).contains("10.1.0.0/24"));
          }
          assertThat(routes(ns)).as("routes during the outage").isEqualTo(before);
        }
        server.putNode(node("b", "10.12.0.0/24", "192.168.7.2"));
        server.setDown(false);
        RouterDaemonKernelIT.waitUntil(
            () -> routes(ns).contains("10.12.0.0/24") && !routes(ns).contains("10.2.0.0/24"));
        assertThat(routes(ns)).contains("10.1.0.0/24 via 192.168.7.1");
      } finally {
        daemon.close();
      }
    }
  }

  static String routes(NetworkNamespace ns) {
    return ns.ip("route", "show", "proto", "202");
  }

  static Map<String, Object> node(String name, String cidr, String address) {
    return Map.of(
        "apiVersion", "v1",
        "kind", "Node",
        "metadata", Map.of("name", name),
        "spec", Map.of("podCIDRs", List.of(cidr)),
        "status", Map.of("addresses", List.of(Map.of("type", "InternalIP", "address", address))));
  }
}
