package io.xcluster.cni.router.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NetlinkRouteTable against the kernel, each test in a fresh namespace with a veth pair: v0 has
 * 192.168.9.1/24 and fd00:9::1/64.
 */
@KernelTest
@Timeout(120)
class NetlinkRouteTableIT {
  private NetworkNamespace ns;

  @BeforeEach
  void namespace() {
    ns = NetworkNamespace.create("nlroute");
    ns.addVethPair("v0", "v1", "192.168.9.1/24", "fd00:9::1/64");
  }

  @AfterEach
  void deleteNamespace() {
    ns.close();
  }

  private NetlinkRouteTable open(boolean nexthops) throws IOException {
    return NetlinkRouteTable.open(202, Route.MAIN_TABLE, nexthops, ns.path());
  }

  static Route route(String dst, String gw) {
    return Route.of(Cidr.parse(dst), IpLiteral.parse(gw), 202, Route.MAIN_TABLE);
  }

  static Route route(String dst, String gw, int table) {
    return Route.of(Cidr.parse(dst), IpLiteral.parse(gw), 202, table);
  }

  static List<RouteOp> replace(Route... routes) {
    return List.of(routes).stream().<RouteOp>map(RouteOp.Replace::new).toList();
  }

  static List<RouteOp> delete(List<Route> routes) {
    return routes.stream().<RouteOp>map(RouteOp.Delete::new).toList();
  }

  /** The routes as {@code dst via gw}, the way to compare what was asked with what is there. */
  static List<String> viaList(List<Route> routes) {
    return routes.stream().map(r -> r.dst() + " via " + IpLiteral.format(r.gateway())).toList();
  }

  @ParameterizedTest(name = "nexthops={0}")
  @ValueSource(booleans = {false, true})
  void addsReplacesListsAndDeletesIpv4AndIpv6(boolean nexthops) throws IOException {
    try (NetlinkRouteTable table = open(nexthops)) {
      assertThat(table.list()).isEmpty();
      assertThat(
              table.apply(
                  replace(
                      route("10.9.1.0/24", "192.168.9.2"),
                      route("10.9.2.0/24", "192.168.9.3"),
                      route("fd00:1::/64", "fd00:9::2"))))
          .isEmpty();
      assertThat(ns.ip("route", "show", "proto", "202"))
          .contains("10.9.1.0/24", "via 192.168.9.2", "10.9.2.0/24", "via 192.168.9.3");
      assertThat(ns.ip("-6", "route", "show", "proto", "202")).contains("fd00:1::/64", "fd00:9::2");

      assertThat(table.apply(replace(route("10.9.1.0/24", "192.168.9.4")))).isEmpty();
      List<Route> listed = table.list();
      assertThat(viaList(listed))
          .containsExactlyInAnyOrder(
              "10.9.1.0/24 via 192.168.9.4",
              "10.9.2.0/24 via 192.168.9.3",
              "fd00:1::/64 via fd00:9::2");
      for (Route r : listed) {
        assertThat(r.device()).contains("v0");
        assertThat(r.metric()).isEmpty();
        assertThat(r.nexthopId().isPresent()).isEqualTo(nexthops && r.family() == IpFamily.IPV4);
        assertThat(r.sameAs(r)).isTrue();
      }
      assertThat(route("10.9.2.0/24", "192.168.9.3").sameAs(find(listed, "10.9.2.0/24"))).isTrue();

      assertThat(table.apply(delete(listed))).isEmpty();
      assertThat(table.list()).isEmpty();
      assertThat(ns.ip("route", "show", "proto", "202")).isBlank();
      assertThat(ns.ip("-6", "route", "show", "proto", "202")).isBlank();
      assertThat(ns.ip("nexthop", "show")).isBlank();
    }
  }

  @Test
  void leavesForeignRoutesAlone() throws IOException {
    ns.ip("route", "add", "10.9.5.0/24", "via", "192.168.9.5", "proto", "static");
    ns.ip("route", "add", "10.9.6.0/24", "via", "192.168.9.6", "proto", "202", "table", "100");
    ns.ip("-6", "route", "add", "fd00:5::/64", "via", "fd00:9::5", "proto", "static");
    String kernelRoutes = ns.ip("route", "show", "proto", "kernel");
    try (NetlinkRouteTable table = open(false)) {
      assertThat(table.list()).isEmpty();

      // The same destination and metric under another owner: NLM_F_REPLACE would overwrite it.
      List<RouteFailure> failures =
          table.apply(
              replace(
                  route("10.9.5.0/24", "192.168.9.2"),
                  route("10.9.6.0/24", "192.168.9.2"),
                  route("fd00:5::/64", "fd00:9::2"),
                  route("192.168.9.0/24", "192.168.9.2")));
      assertThat(failures)
          .extracting(f -> f.op().route().dst().toString())
          .containsExactlyInAnyOrder("10.9.5.0/24", "fd00:5::/64", "192.168.9.0/24");
      assertThat(failures.getFirst().errno()).isEqualTo(Errno.EEXIST);
      assertThat(failures.getFirst().toString())
          .startsWith("10.9.5.0/24 via 192.168.9.2: a route of another protocol");
      assertThat(ns.ip("route", "show", "10.9.5.0/24")).contains("via 192.168.9.5", "proto static");
      assertThat(ns.ip("-6", "route", "show", "fd00:5::/64")).contains("fd00:9::5", "proto static");

      // Deleting a destination that only others have leaves theirs.
      assertThat(
              table.apply(
                  delete(
                      List.of(
                          route("10.9.5.0/24", "192.168.9.5"),
                          route("fd00:5::/64", "fd00:9::5"),
                          route("192.168.9.0/24", "192.168.9.1")))))
          .isEmpty();
      assertThat(ns.ip("route", "show", "10.9.5.0/24")).contains("proto static");
      assertThat(ns.ip("-6", "route", "show", "fd00:5::/64")).contains("proto static");
      assertThat(ns.ip("route", "show", "proto", "kernel")).isEqualTo(kernelRoutes);

      // The same destination in table 100 is another table's; main gets its own route.
      assertThat(viaList(table.list())).containsExactly("10.9.6.0/24 via 192.168.9.2");
      table.apply(delete(table.list()));
      assertThat(ns.ip("route", "show", "table", "100")).contains("10.9.6.0/24 via 192.168.9.6");
    }
  }

  @Test
  void hostRoutes() throws IOException {
    try (NetlinkRouteTable table = open(false)) {
      assertThat(
              table.apply(
                  replace(
                      route("10.9.7.7/32", "192.168.9.2"), route("fd00:7::7/128", "fd00:9::2"))))
          .isEmpty();
      assertThat(table.list())
          .extracting(r -> r.dst().toString())
          .containsExactlyInAnyOrder("10.9.7.7/32", "fd00:7::7/128");
      table.apply(delete(table.list()));
      assertThat(table.list()).isEmpty();
    }
  }

  @ParameterizedTest(name = "table {0}")
  @ValueSource(ints = {100, 1000})
  void otherTables(int tableId) throws IOException {
    ns.ip("route", "add", "10.9.8.0/24", "via", "192.168.9.8", "proto", "202");
    try (NetlinkRouteTable table = NetlinkRouteTable.open(202, tableId, false, ns.path())) {
      assertThat(table.list()).isEmpty(); // the table does not exist yet
      Route r4 = route("10.9.8.0/24", "192.168.9.2", tableId);
      Route r6 = route("fd00:8::/64", "fd00:9::2", tableId);
      assertThat(table.apply(replace(r4, r6))).isEmpty();
      assertThat(ns.ip("route", "show", "table", String.valueOf(tableId)))
          .contains("10.9.8.0/24 via 192.168.9.2");
      List<Route> listed = table.list();
      assertThat(listed).allMatch(r -> r.table() == tableId).hasSize(2);
      assertThat(r4.sameAs(find(listed, "10.9.8.0/24"))).isTrue();
      table.apply(delete(listed));
      assertThat(table.list()).isEmpty();
      assertThat(ns.ip("route", "show", "10.9.8.0/24")).contains("via 192.168.9.8");
    }
  }

  @Test
  void metrics() throws IOException {
    try (NetlinkRouteTable table = open(false)) {
      Route r4 = withMetric(route("10.9.3.0/24", "192.168.9.2"), 50);
      Route r6 = withMetric(route("fd00:3::/64", "fd00:9::2"), 50);
      Route plain = route("10.9.3.0/24", "192.168.9.3");
      assertThat(
              table.apply(
                  List.of(
                      new RouteOp.Replace(r4),
                      new RouteOp.Replace(r6),
                      new RouteOp.Replace(plain))))
          .isEmpty();
      assertThat(ns.ip("route", "show", "10.9.3.0/24")).contains("metric 50");
      List<Route> listed = table.list();
      assertThat(listed).hasSize(3);
      assertThat(listed.stream().filter(r4::sameAs)).hasSize(1);
      assertThat(listed.stream().filter(r6::sameAs)).hasSize(1);
      assertThat(listed.stream().filter(plain::sameAs)).hasSize(1);

      // Deleting the metric-50 route leaves the one without a metric.
      assertThat(table.apply(List.of(new RouteOp.Delete(r4), new RouteOp.Delete(r6)))).isEmpty();
      assertThat(viaList(table.list())).containsExactly("10.9.3.0/24 via 192.168.9.3");
    }
  }

  @Test
  void nexthopObjectsAreOwnedAndCleanedUp() throws IOException {
    ns.ip("nexthop", "add", "id", "1", "via", "192.168.9.7", "dev", "v0");
    ns.ip("route", "add", "10.9.9.0/24", "nhid", "1");
    try (NetlinkRouteTable table = open(true)) {
      assertThat(
              table.apply(
                  replace(
                      route("10.9.1.0/24", "192.168.9.2"),
                      route("10.9.2.0/24", "192.168.9.2"),
                      route("10.9.3.0/24", "192.168.9.3"),
                      route("fd00:1::/64", "fd00:9::2"))))
          .isEmpty();
      String owned = ns.ip("nexthop", "show", "protocol", "202");
      assertThat(owned.lines()).hasSize(2); // one per IPv4 gateway; IPv6 routes stay plain
      assertThat(owned).doesNotContain("id 1 ");
      List<Route> listed = table.list();
      assertThat(find(listed, "10.9.1.0/24").nexthopId())
          .isEqualTo(find(listed, "10.9.2.0/24").nexthopId());

      // An object another owner's route uses stays, though none of ours uses it any more.
      String id3 = String.valueOf(find(listed, "10.9.3.0/24").nexthopId().orElseThrow());
      ns.ip("route", "add", "10.9.8.0/24", "nhid", id3, "proto", "static");
      assertThat(table.apply(List.of(new RouteOp.Delete(find(listed, "10.9.3.0/24"))))).isEmpty();
      assertThat(ns.ip("nexthop", "show", "protocol", "202").lines()).hasSize(2);
      assertThat(ns.ip("route", "show", "10.9.8.0/24")).contains("nhid " + id3);

      // Once no route at all uses it, it goes; the foreign object stays.
      ns.ip("route", "del", "10.9.8.0/24");
      table.apply(delete(table.list()));
      assertThat(ns.ip("nexthop", "show", "protocol", "202")).isBlank();
      assertThat(ns.ip("nexthop", "show")).contains("id 1 via 192.168.9.7");
      assertThat(ns.ip("route", "show", "10.9.9.0/24")).contains("nhid 1");
    }
  }

  @ParameterizedTest(name = "nexthops={0}")
  @ValueSource(booleans = {false, true})
  void unreachableGatewayFailsAloneWithAClearReason(boolean nexthops) throws IOException {
    try (NetlinkRouteTable table = open(nexthops)) {
      List<RouteFailure> failures =
          table.apply(
              replace(
                  route("10.9.1.0/24", "192.168.9.2"),
                  route("10.9.0.0/24", "192.168.10.9"),
                  route("fd00:1::/64", "fd00:9::2")));
      assertThat(failures).hasSize(1);
      RouteFailure f = failures.getFirst();
      assertThat(f.errno()).isEqualTo(101);
      assertThat(f.toString())
          .startsWith("10.9.0.0/24 via 192.168.10.9: gateway not reachable on any link")
          .endsWith("(Network is unreachable)");
      assertThat(viaList(table.list()))
          .containsExactlyInAnyOrder("10.9.1.0/24 via 192.168.9.2", "fd00:1::/64 via fd00:9::2");
    }
  }

  @Test
  void unknownDeviceFailsAlone() throws IOException {
    try (NetlinkRouteTable table = open(false)) {
      Route r = route("10.9.1.0/24", "192.168.9.2");
      Route withDevice =
          new Route(
              r.dst(),
              r.gateway(),
              202,
              254,
              OptionalInt.empty(),
              Optional.of("nope0"),
              OptionalInt.empty());
      List<RouteFailure> failures =
          table.apply(replace(withDevice, route("10.9.2.0/24", "192.168.9.2")));
      assertThat(failures)
          .extracting(RouteFailure::message)
          .containsExactly("no such device nope0");
      assertThat(viaList(table.list())).containsExactly("10.9.2.0/24 via 192.168.9.2");
    }
  }

  @Test
  void refusesRoutesOfAnotherOwner() throws IOException {
    ns.ip("route", "add", "10.9.1.0/24", "via", "192.168.9.2", "proto", "202");
    try (NetlinkRouteTable table = open(false)) {
      Route otherProtocol =
          Route.of(Cidr.parse("10.9.1.0/24"), IpLiteral.parse("192.168.9.3"), 4, Route.MAIN_TABLE);
      Route otherTable = route("10.9.1.0/24", "192.168.9.3", 100);
      List<RouteFailure> failures =
          table.apply(
              List.of(
                  new RouteOp.Replace(otherProtocol),
                  new RouteOp.Delete(otherTable),
                  new RouteOp.Replace(route("10.9.2.0/24", "192.168.9.2"))));
      assertThat(failures).extracting(RouteFailure::errno).containsExactly(22, 22);
      assertThat(failures.getFirst().message())
          .isEqualTo("the route is not this owner's (protocol 202, table 254)");
      assertThat(ns.ip("route", "show", "10.9.1.0/24")).contains("via 192.168.9.2");
      assertThat(viaList(table.list()))
          .containsExactly("10.9.1.0/24 via 192.168.9.2", "10.9.2.0/24 via 192.168.9.2");
    }
  }

  @Test
  void linkLocalGatewayWithDevice() throws IOException {
    try (NetlinkRouteTable table = open(false)) {
      Route r = route("fd00:4::/64", "fe80::2");
      Route withDevice =
          new Route(
              r.dst(),
              r.gateway(),
              202,
              254,
              OptionalInt.empty(),
              Optional.of("v0"),
              OptionalInt.empty());
      assertThat(table.apply(replace(withDevice))).isEmpty();
      assertThat(ns.ip("-6", "route", "show", "fd00:4::/64")).contains("via fe80::2 dev v0");
      assertThat(withDevice.sameAs(table.list().getFirst())).isTrue();
    }
  }

  @ParameterizedTest(name = "nexthops={0}")
  @ValueSource(booleans = {false, true})
  void tenThousandRoutesReplacedAndDeleted(boolean nexthops) throws IOException {
    List<Route> first = new ArrayList<>();
    List<Route> second = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String dst = "10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".0/24";
      first.add(route(dst, "192.168.9." + (2 + i % 250)));
      second.add(route(dst, "192.168.9." + (2 + (i + 1) % 250)));
    }
    try (NetlinkRouteTable table = open(nexthops)) {
      assertThat(table.apply(first.stream().<RouteOp>map(RouteOp.Replace::new).toList())).isEmpty();
      assertThat(viaList(table.list())).containsExactlyInAnyOrderElementsOf(viaList(first));
      assertThat(table.apply(second.stream().<RouteOp>map(RouteOp.Replace::new).toList()))
          .isEmpty();
      assertThat(viaList(table.list())).containsExactlyInAnyOrderElementsOf(viaList(second));
      assertThat(table.apply(delete(table.list()))).isEmpty();
      assertThat(table.list()).isEmpty();
      assertThat(ns.ip("route", "show", "proto", "202")).isBlank();
      assertThat(ns.ip("nexthop", "show")).isBlank();
    }
  }

  @Test
  void readsTheAddressesOfEveryLinkUpOrDownAsTheReconcilerSeesThem() throws IOException {
    ns.ip("link", "set", "v1", "down");
    ns.ip("addr", "add", "10.7.0.1/16", "dev", "v1");

    var addresses = new NetlinkLocalLinks(ns.path()).read();

    assertThat(addresses.links())
        .extracting(Object::toString)
        .contains(
            "127.0.0.1/8 on lo", "192.168.9.1/24 on v0", "fd00:9::1/64 on v0", "10.7.0.1/16 on v1")
        .noneMatch(a -> a.contains("%"));
  }

  @Test
  void listsLinksWithMtuAndAddresses() throws IOException {
    ns.ip("link", "set", "v1", "mtu", "1400");
    List<LinkInfo> links = NetlinkLinks.links(ns.path());
    assertThat(links).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "v0", "v1");
    LinkInfo v0 = links.stream().filter(l -> l.name().equals("v0")).findFirst().orElseThrow();
    assertThat(v0.mtu()).isEqualTo(1500);
    assertThat(v0.up()).isTrue();
    assertThat(v0.addresses())
        .extracting(Object::toString)
        .contains("192.168.9.1/24", "fd00:9::1/64");
    assertThat(v0.addresses().getFirst().prefix()).isEqualTo(Cidr.parse("192.168.9.0/24"));
    assertThat(links.stream().filter(l -> l.name().equals("v1")).findFirst().orElseThrow().mtu())
        .isEqualTo(1400);
  }

  static Route find(List<Route> routes, String dst) {
    return routes.stream().filter(r -> r.dst().toString().equals(dst)).findFirst().orElseThrow();
  }

  static Route withMetric(Route r, int metric) {
    return new Route(
        r.dst(),
        r.gateway(),
        r.protocol(),
        r.table(),
        OptionalInt.of(metric),
        r.device(),
        r.nexthopId());
  }
}
