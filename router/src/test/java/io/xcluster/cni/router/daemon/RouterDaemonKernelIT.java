package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.nodes.FileNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon against the real kernel in a throw-away namespace. */
@KernelTest
@Timeout(60)
class RouterDaemonKernelIT {
  @TempDir Path dir;

  @Test
  void installsRestoresAfterDeleteAndLinkFlapAndKeepsRoutesOnStop() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create("rctl")) {
      ns.addVethPair("veth0", "veth1", "192.168.7.10/24");
      ns.ip("route", "add", "10.99.0.0/24", "via", "192.168.7.99", "proto", "static");
      Path nodes =
          Files.writeString(
              dir.resolve("nodes.yaml"),
              """
              items:
              - metadata: {name: self}
                spec: {podCIDRs: [10.0.0.0/24]}
                status: {addresses: [{type: InternalIP, address: 192.168.7.10}]}
              - metadata: {name: a}
                spec: {podCIDRs: [10.1.0.0/24]}
                status: {addresses: [{type: InternalIP, address: 192.168.7.1}]}
              - metadata: {name: b}
                spec: {podCIDRs: [10.2.0.0/24]}
                status: {addresses: [{type: InternalIP, address: 192.168.7.2}]}
              """);
      NodeProjection projection = new NodeProjection(NodeAnnotations.fromSpec());
      LocalLinks links =
          LocalLinks.fixed(new LocalAddresses(List.of(LinkAddress.of("veth0", "192.168.7.10/24"))));
      RouterDaemon daemon =
          new RouterDaemon(
              new RouterDaemon.Settings(
                  new RoutePlanner(
                      new PlannerConfig("self", 202, Route.MAIN_TABLE, OptionalInt.empty())),
                  projection,
                  Duration.ofSeconds(60),
                  Optional.empty()),
              new RouterDaemon.Parts(
                  NetlinkRouteTable.open(202, Route.MAIN_TABLE, false, ns.path()),
                  new FileNodeSource(nodes, projection),
                  links,
                  Optional.empty(),
                  Optional.empty()));
      try {
        daemon.start();
        waitUntil(() -> routes(ns).contains("10.2.0.0/24 via 192.168.7.2"));
        assertThat(routes(ns)).contains("10.1.0.0/24 via 192.168.7.1");

        ns.ip("route", "del", "10.1.0.0/24", "proto", "202");
        long t = System.nanoTime();
        waitUntil(() -> routes(ns).contains("10.1.0.0/24 via 192.168.7.1"));
        System.out.printf("deleted route back after %d ms%n", (System.nanoTime() - t) / 1_000_000);

        // Another owner's route is never touched (the link flap below takes it away).
        assertThat(ns.ip("route", "show", "10.99.0.0/24")).contains("proto static");

        ns.ip("link", "set", "veth0", "down");
        waitUntil(() -> !routes(ns).contains("10.1.0.0/24 via 192.168.7.1"));
        ns.ip("link", "set", "veth0", "up");
        waitUntil(
            () ->
                routes(ns).contains("10.1.0.0/24 via 192.168.7.1")
                    && routes(ns).contains("10.2.0.0/24 via 192.168.7.2"));
      } finally {
        daemon.close();
      }
      assertThat(routes(ns)).contains("10.1.0.0/24 via 192.168.7.1", "10.2.0.0/24 via 192.168.7.2");
    }
  }

  static String routes(NetworkNamespace ns) {
    return ns.ip("route", "show", "proto", "202");
  }

  static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 15 s");
      }
      Thread.sleep(10);
    }
  }
}
