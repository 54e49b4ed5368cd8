package io.xcluster.cni.router.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.router.route.RouteTable.RouteEvents;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The route monitor against the kernel, in a fresh namespace with a veth pair. */
@KernelTest
@Timeout(120)
class RouteMonitorIT {
  private NetworkNamespace ns;

  @BeforeEach
  void namespace() {
    ns = NetworkNamespace.create("nlmon");
    ns.addVethPair("v0", "v1", "192.168.9.1/24", "fd00:9::1/64");
  }

  @AfterEach
  void deleteNamespace() {
    ns.close();
  }

  /**
   * Records events as text: {@code deleted <route>}, {@code link <dev> up|down}, {@code resync}.
   */
  static class Recorder implements RouteEvents {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void routeDeleted(Route route) {
      events.add("deleted " + route.dst() + " via " + IpLiteral.format(route.gateway()));
    }

    @Override
    public void linkChanged(String device, boolean up) {
      events.add("link " + device + (up ? " up" : " down"));
    }

    @Override
    public void resyncNeeded() {
      events.add("resync");
    }

    /** Waits up to 5 s for the event, skipping others. */
    void await(String expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        String e = events.poll(100, TimeUnit.MILLISECONDS);
        if (expected.equals(e)) {
          return;
        }
        if (e != null) {
          seen.add(e);
        }
      }
      throw new AssertionError("no '" + expected + "' within 5 s; saw " + seen);
    }
  }

  static RouteOp replace(String dst, String gw) {
    return new RouteOp.Replace(
        Route.of(Cidr.parse(dst), IpLiteral.parse(gw), 202, Route.MAIN_TABLE));
  }

  @Test
  void seesAnOwnedRouteDeletedAndALinkGoingDownAndUp() throws Exception {
    try (NetlinkRouteTable table = NetlinkRouteTable.open(202, 254, false, ns.path())) {
      ns.ip("route", "add", "10.9.7.0/24", "via", "192.168.9.7", "proto", "static");
      assertThat(
              table.apply(
                  List.of(
                      replace("10.9.1.0/24", "192.168.9.2"), replace("fd00:1::/64", "fd00:9::2"))))
          .isEmpty();
      Recorder recorder = new Recorder();
      try (AutoCloseable watch = table.watch(recorder)) {
        ns.ip("route", "del", "10.9.7.0/24"); // not ours: no event
        ns.ip("route", "del", "10.9.1.0/24");
        recorder.await("deleted 10.9.1.0/24 via 192.168.9.2");
        assertThat(recorder.events).doesNotContain("deleted 10.9.7.0/24 via 192.168.9.7");

        ns.ip("link", "set", "v0", "down");
        recorder.await("link v0 down");
        recorder.await("deleted fd00:1::/64 via fd00:9::2"); // IPv6 reports its flushed routes
        ns.ip("link", "set", "v0", "up");
        recorder.await("link v0 up");
      }
    }
  }

  @Test
  void anAddressComingBackIsReportedAsAChangeOfItsLink() throws Exception {
    try (NetlinkRouteTable table = NetlinkRouteTable.open(202, 254, false, ns.path())) {
      Recorder recorder = new Recorder();
      try (AutoCloseable watch = table.watch(recorder)) {
        // IPv6 addresses leave with the link and come back later than it: routes via them can
        // only return then, so the router must hear of it.
        ns.ip("-6", "addr", "del", "fd00:9::1/64", "dev", "v0");
        recorder.events.clear();
        ns.ip("-6", "addr", "add", "fd00:9::1/64", "dev", "v0", "nodad");
        recorder.await("link v0 up");
      }
    }
  }

  @Test
  void aDeletedNexthopObjectAsksForAResync() throws Exception {
    try (NetlinkRouteTable table = NetlinkRouteTable.open(202, 254, true, ns.path())) {
      assertThat(table.apply(List.of(replace("10.9.1.0/24", "192.168.9.2")))).isEmpty();
      int id = table.list().getFirst().nexthopId().orElseThrow();
      Recorder recorder = new Recorder();
      try (AutoCloseable watch = table.watch(recorder)) {
        ns.ip("nexthop", "del", "id", String.valueOf(id));
        recorder.await("resync");
      }
    }
  }

  @Test
  void lostNotificationsAskForAResync() throws Exception {
    List<RouteOp> many = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      many.add(replace("10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".0/24", "192.168.9.2"));
    }
    try (NetlinkRouteTable table = NetlinkRouteTable.open(202, 254, false, ns.path())) {
      CountDownLatch release = new CountDownLatch(1);
      Recorder recorder =
          new Recorder() {
            @Override
            public void routeDeleted(Route route) {
              try {
                release.await(); // hold the reading thread: the socket buffer fills up
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          };
      assertThat(table.apply(many)).isEmpty();
      try (AutoCloseable watch = table.watch(recorder)) {
        ns.ip("route", "flush", "proto", "202");
        release.countDown();
        recorder.await("resync");
      }
    }
  }
}
