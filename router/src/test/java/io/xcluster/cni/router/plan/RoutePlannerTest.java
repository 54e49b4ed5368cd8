package io.xcluster.cni.router.plan;

import static io.xcluster.cni.router.plan.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner, table-driven. The first seven cases are the original xcluster-cni's TestRouteSync
 * (cmd/xcluster-cni/main_test.go), with its node name, annotations and expected routes; the rest
 * cover what the original got wrong or did not do.
 *
 * <p>Every case plans against an in-memory kernel holding {@code before}, applies the plan, checks
 * the kernel holds exactly {@code after}, and checks that planning again changes nothing.
 */
class RoutePlannerTest {
  static final String CIDR_ANNOTATION = "cidr.nordix.org/eth2";
  static final String ADDRESS_ANNOTATION = "addr.nordix.org/eth2";
  static final String OWN_NODE = "myself";

  static final NodeAnnotations SPEC = NodeAnnotations.fromSpec();
  static final NodeAnnotations BOTH =
      new NodeAnnotations(Optional.of(CIDR_ANNOTATION), Optional.of(ADDRESS_ANNOTATION));
  static final NodeAnnotations ADDRESS_ONLY =
      new NodeAnnotations(Optional.empty(), Optional.of(ADDRESS_ANNOTATION));

  /** This host in most cases: on 192.168.1.0/24 and fd00:1::/64 via eth0. */
  static final LocalAddresses HOST =
      new LocalAddresses(
          List.of(
              LinkAddress.of("lo", "127.0.0.1/8"),
              LinkAddress.of("lo", "::1/128"),
              LinkAddress.of("eth0", "192.168.1.10/24"),
              LinkAddress.of("eth0", "fd00:1::c0a8:10a/64"),
              LinkAddress.of("eth0", "fe80::10/64"),
              LinkAddress.of("cbr0", "10.244.0.1/24")));

  record Case(
      String name,
      NodeAnnotations config,
      List<Nodes> nodes,
      LocalAddresses local,
      List<String> before,
      List<String> after,
      List<String> problems) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case tc(String name, NodeAnnotations config, List<Nodes> nodes) {
    return new Case(name, config, nodes, HOST, List.of(), List.of(), List.of());
  }

  static Case with(Case c, LocalAddresses local) {
    return new Case(c.name, c.config, c.nodes, local, c.before, c.after, c.problems);
  }

  static Case before(Case c, String... routes) {
    return new Case(c.name, c.config, c.nodes, c.local, List.of(routes), c.after, c.problems);
  }

  static Case after(Case c, String... routes) {
    return new Case(c.name, c.config, c.nodes, c.local, c.before, List.of(routes), c.problems);
  }

  static Case problems(Case c, String... problems) {
    return new Case(c.name, c.config, c.nodes, c.local, c.before, c.after, List.of(problems));
  }

  static Stream<Case> cases() {
    Nodes annotatedPeer =
        node("peer")
            .annotate(CIDR_ANNOTATION, "20.0.0.0/24,fd00:1000::0.0.0.0/96")
            .annotate(ADDRESS_ANNOTATION, "192.168.1.1,fd00:1::192.168.1.1");
    return Stream.of(
        // ---- the original's TestRouteSync ----
        tc("Get nothing, do nothing", SPEC, List.of()),
        before(
            tc("No nodes, delete all routes", BOTH, List.of()),
            "10.0.0.0/24 via 11.0.0.1",
            "fd00::/112 via fd00:1000::1"),
        after(
            before(
                tc("One peer node", BOTH, List.of(annotatedPeer)),
                "10.0.0.0/24 via 11.0.0.1",
                "fd00::/112 via fd00:1000::1"),
            "20.0.0.0/24 via 192.168.1.1",
            "fd00:1000::/96 via fd00:1::c0a8:101"),
        after(
            tc(
                "IPv6 encoded IPv4 addresses",
                BOTH,
                List.of(
                    node("peer")
                        .annotate(CIDR_ANNOTATION, "::ffff:20.0.0.0/120,fd00:1000::0.0.0.0/96")
                        .annotate(ADDRESS_ANNOTATION, "::ffff:192.168.1.1,fd00:1::192.168.1.1"))),
            "20.0.0.0/24 via 192.168.1.1",
            "fd00:1000::/96 via fd00:1::c0a8:101"),
        before(
            tc(
                "Only the own node",
                BOTH,
                List.of(
                    node(OWN_NODE)
                        .annotate(CIDR_ANNOTATION, "20.0.0.0/24,fd00:1000::0.0.0.0/96")
                        .annotate(ADDRESS_ANNOTATION, "192.168.1.1,fd00:1::192.168.1.1"))),
            "10.0.0.0/24 via 11.0.0.1",
            "fd00::/112 via fd00:1000::1"),
        after(
            before(
                tc(
                    "K8s Node",
                    SPEC,
                    List.of(
                        node("peer")
                            .internalIp("192.168.1.1", "fd00:1::192.168.1.1")
                            .podCidrs("20.0.0.0/24", "fd00:1000::0.0.0.0/96"))),
                "20.0.0.0/24 via 11.0.0.1",
                "fd00:1000::/96 via fd00:1000::1"),
            "20.0.0.0/24 via 192.168.1.1",
            "fd00:1000::/96 via fd00:1::c0a8:101"),
        after(
            before(
                tc(
                    "Annotations has precedence in K8s Nodes",
                    ADDRESS_ONLY,
                    List.of(
                        node("peer")
                            .annotate(ADDRESS_ANNOTATION, "192.168.1.20,fd00:1::192.168.1.20")
                            .internalIp("192.168.1.1", "fd00:1::192.168.1.1")
                            .podCidrs("20.0.0.0/24", "fd00:1000::0.0.0.0/96"))),
                "20.0.0.0/24 via 192.168.1.20",
                "fd00:1000::/96 via fd00:1::c0a8:114"),
            "20.0.0.0/24 via 192.168.1.20",
            "fd00:1000::/96 via fd00:1::c0a8:114"),

        // ---- beyond the original ----
        after(
            tc(
                "several CIDRs per family",
                BOTH,
                List.of(
                    node("peer")
                        .annotate(
                            CIDR_ANNOTATION, "10.1.0.0/24,fd00:a::/64,10.2.0.0/24,fd00:b::/64")
                        .annotate(ADDRESS_ANNOTATION, "192.168.1.1,fd00:1::1"))),
            "10.1.0.0/24 via 192.168.1.1",
            "10.2.0.0/24 via 192.168.1.1",
            "fd00:a::/64 via fd00:1::1",
            "fd00:b::/64 via fd00:1::1"),
        after(
            tc(
                "the first address of the family is the next hop",
                SPEC,
                List.of(
                    node("peer")
                        .address("ExternalIP", "192.168.1.99")
                        .internalIp("fd00:1::7", "192.168.1.7", "192.168.1.8", "fd00:1::8")
                        .podCidrs("10.1.0.0/24", "fd00:a::/64"))),
            "10.1.0.0/24 via 192.168.1.7",
            "fd00:a::/64 via fd00:1::7"),
        problems(
            after(
                before(
                    tc(
                        "overlapping CIDRs: the oldest claim wins, whatever the order",
                        SPEC,
                        List.of(
                            node("young")
                                .created("2024-06-01T00:00:00Z")
                                .internalIp("192.168.1.3")
                                .podCidrs("10.1.0.0/24"),
                            node("old")
                                .created("2024-01-01T00:00:00Z")
                                .internalIp("192.168.1.2")
                                .podCidrs("10.1.0.0/16"))),
                    "10.1.0.0/24 via 192.168.1.3"),
                "10.1.0.0/16 via 192.168.1.2"),
            "young: 10.1.0.0/24 overlaps 10.1.0.0/16 of node old, which claimed it first"),
        problems(
            after(
                before(
                    tc(
                        "the same CIDR twice: same age, the name decides",
                        SPEC,
                        List.of(
                            node("b").internalIp("192.168.1.3").podCidrs("10.1.0.0/24"),
                            node("a").internalIp("192.168.1.2").podCidrs("10.1.0.0/24"))),
                    "10.1.0.0/24 via 192.168.1.3"),
                "10.1.0.0/24 via 192.168.1.2"),
            "b: 10.1.0.0/24 overlaps 10.1.0.0/24 of node a, which claimed it first"),
        problems(
            after(
                tc(
                    "a node's own nested CIDRs: the first wins",
                    SPEC,
                    List.of(
                        node("a")
                            .internalIp("192.168.1.2")
                            .podCidrs("10.1.0.0/16", "10.1.2.0/24"))),
                "10.1.0.0/16 via 192.168.1.2"),
            "a: 10.1.2.0/24 overlaps its own 10.1.0.0/16"),
        after(
            before(
                tc(
                    "/32 and /128 stay prefixes and are left alone",
                    BOTH,
                    List.of(
                        node("peer")
                            .annotate(CIDR_ANNOTATION, "10.5.5.5/32,fd00:5::5/128")
                            .annotate(ADDRESS_ANNOTATION, "192.168.1.5,fd00:1::5"))),
                "10.5.5.5/32 via 192.168.1.5",
                "fd00:5::5/128 via fd00:1::5"),
            "10.5.5.5/32 via 192.168.1.5",
            "fd00:5::5/128 via fd00:1::5"),
        after(
            tc(
                "IPv6 link-local next hop goes out of the link of our own IPv6 address",
                BOTH,
                List.of(
                    node(OWN_NODE)
                        .annotate(CIDR_ANNOTATION, "fd00:99::/64")
                        .annotate(ADDRESS_ANNOTATION, "fd00:1::c0a8:10a"),
                    node("peer")
                        .annotate(CIDR_ANNOTATION, "fd00:a::/64")
                        .annotate(ADDRESS_ANNOTATION, "fe80::2"))),
            "fd00:a::/64 via fe80::2 dev eth0"),
        problems(
            after(
                before(
                    tc(
                        "IPv6 link-local next hop without a known link: no route, the old one kept",
                        BOTH,
                        List.of(
                            node("peer")
                                .annotate(CIDR_ANNOTATION, "fd00:a::/64")
                                .annotate(ADDRESS_ANNOTATION, "fe80::2"))),
                    "fd00:a::/64 via fe80::2"),
                "fd00:a::/64 via fe80::2 dev eth0"),
            "peer: next hop fe80::2 for fd00:a::/64 is IPv6 link-local and needs a device"),
        problems(
            after(
                before(
                    tc(
                        "malformed CIDR annotation: routes via its addresses are kept",
                        BOTH,
                        List.of(
                            node("bad")
                                .annotate(CIDR_ANNOTATION, "10.9.0.0/33")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.9"),
                            node("good")
                                .annotate(CIDR_ANNOTATION, "10.8.0.0/24")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.8"))),
                    "10.9.0.0/24 via 192.168.1.9",
                    "10.7.0.0/24 via 192.168.1.7"),
                "10.8.0.0/24 via 192.168.1.8",
                "10.9.0.0/24 via 192.168.1.9"),
            "bad: cidr.nordix.org/eth2: \"10.9.0.0/33\" is not a CIDR: prefix length 33 exceeds 32",
            "prefix length 33 exceeds 32; installed routes via its addresses are kept"),
        problems(
            after(
                before(
                    tc(
                        "malformed address annotation: routes to its CIDRs are kept",
                        BOTH,
                        List.of(
                            node("bad")
                                .annotate(CIDR_ANNOTATION, "10.9.0.0/24")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.x"))),
                    "10.9.0.0/24 via 192.168.1.9",
                    "10.7.0.0/24 via 192.168.1.7"),
                "10.9.0.0/24 via 192.168.1.9"),
            "bad: addr.nordix.org/eth2: \"192.168.1.x\" is not an IP address",
            "; installed routes to its CIDRs are kept"),
        problems(
            after(
                before(
                    tc(
                        "nothing readable: unclaimed routes are kept, claimed ones follow the claim",
                        BOTH,
                        List.of(
                            node("bad")
                                .annotate(CIDR_ANNOTATION, "10.9.0.0/24,,")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.9/24"),
                            node("good")
                                .annotate(CIDR_ANNOTATION, "10.8.0.0/24")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.8"))),
                    "10.9.0.0/24 via 192.168.1.9",
                    "10.8.0.0/24 via 192.168.1.9"),
                "10.8.0.0/24 via 192.168.1.8",
                "10.9.0.0/24 via 192.168.1.9"),
            "bad: cidr.nordix.org/eth2: \"\" is an empty item",
            "expected a plain address, without a prefix length",
            "is an empty item; installed routes that no node claims are kept"),
        problems(
            after(
                before(
                    tc(
                        "nothing readable: a route inside or around another node's claim goes",
                        BOTH,
                        List.of(
                            node("bad")
                                .annotate(CIDR_ANNOTATION, "10.9.0.0/24,,")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.9/24"),
                            node("good")
                                .annotate(CIDR_ANNOTATION, "10.8.0.0/16,10.6.1.0/24")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.8"))),
                    "10.8.1.0/24 via 192.168.1.9",
                    "10.6.0.0/16 via 192.168.1.9",
                    "10.9.0.0/24 via 192.168.1.9",
                    "10.5.0.0/16 via 192.168.1.9"),
                "10.8.0.0/16 via 192.168.1.8",
                "10.6.1.0/24 via 192.168.1.8",
                "10.9.0.0/24 via 192.168.1.9",
                "10.5.0.0/16 via 192.168.1.9"),
            "is an empty item; installed routes that no node claims are kept"),
        after(
            tc(
                "whitespace around items is ignored",
                BOTH,
                List.of(
                    node("peer")
                        .annotate(CIDR_ANNOTATION, " 20.0.0.0/24 ,\tfd00:a::/64 ")
                        .annotate(ADDRESS_ANNOTATION, " 192.168.1.1 , fd00:1::1\n"))),
            "20.0.0.0/24 via 192.168.1.1",
            "fd00:a::/64 via fd00:1::1"),
        problems(
            after(
                tc(
                    "host bits are cleared, with a problem saying so",
                    BOTH,
                    List.of(
                        node("peer")
                            .annotate(CIDR_ANNOTATION, "20.0.0.1/24")
                            .annotate(ADDRESS_ANNOTATION, "192.168.1.1"))),
                "20.0.0.0/24 via 192.168.1.1"),
            "peer: cidr.nordix.org/eth2: \"20.0.0.1/24\" has host bits set; using 20.0.0.0/24"),
        problems(
            after(
                before(
                    tc(
                        "no address of the family: no route, the installed one kept",
                        BOTH,
                        List.of(
                            node("peer")
                                .annotate(CIDR_ANNOTATION, "20.0.0.0/24,fd00:a::/64")
                                .annotate(ADDRESS_ANNOTATION, "192.168.1.1"))),
                    "fd00:a::/64 via fd00:1::1"),
                "20.0.0.0/24 via 192.168.1.1",
                "fd00:a::/64 via fd00:1::1"),
            "peer: no IPv6 address for fd00:a::/64; no route"),
        problems(
            before(
                tc(
                    "a destination this host reaches directly is never routed, nor kept",
                    SPEC,
                    List.of(
                        node("peer")
                            .internalIp("192.168.1.1")
                            .podCidrs("10.244.0.0/24", "192.168.0.0/16"))),
                "10.244.0.0/24 via 192.168.1.1"),
            "peer: 10.244.0.0/24 overlaps 10.244.0.0/24 on cbr0, which this host reaches directly",
            "peer: 192.168.0.0/16 overlaps 192.168.1.0/24 on eth0"),
        problems(
            before(
                tc(
                    "a next hop that is our own address is never used (wrong NODE_NAME)",
                    SPEC,
                    List.of(node("me-really").internalIp("192.168.1.10").podCidrs("10.3.0.0/24"))),
                "10.3.0.0/24 via 192.168.1.10"),
            "me-really: next hop 192.168.1.10 for 10.3.0.0/24 is an address of this host"),
        problems(
            after(
                tc(
                    "a next hop on no local link is reported and still tried",
                    SPEC,
                    List.of(node("far").internalIp("172.16.0.1").podCidrs("10.3.0.0/24"))),
                "10.3.0.0/24 via 172.16.0.1"),
            "far: next hop 172.16.0.1 for 10.3.0.0/24 is not on any local link"),
        after(
            tc(
                "a node without CIDRs is not part of this network and no problem",
                BOTH,
                List.of(node("other").annotate(ADDRESS_ANNOTATION, "192.168.1.4"))),
            new String[0]),
        after(
            before(
                tc(
                    "a changed next hop is replaced in place",
                    SPEC,
                    List.of(node("peer").internalIp("192.168.1.5").podCidrs("10.3.0.0/24"))),
                "10.3.0.0/24 via 192.168.1.4"),
            "10.3.0.0/24 via 192.168.1.5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plansAndConverges(Case c) throws Exception {
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    for (String r : c.before) {
      kernel.add(route(r));
    }
    List<NodeReading> readings = c.nodes.stream().map(n -> n.reading(c.config)).toList();
    RoutePlanner planner = new RoutePlanner(config(OptionalInt.empty()));

    Plan plan = planner.plan(readings, c.local, kernel.list());
    assertThat(kernel.apply(plan.ops())).isEmpty();

    assertThat(kernel.list())
        .map(RoutePlannerTest::text)
        .containsExactlyInAnyOrderElementsOf(c.after);
    List<String> problems = plan.problems().stream().map(NodeProblem::toString).toList();
    for (String expected : c.problems) {
      assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
    }
    if (c.problems.isEmpty()) {
      assertThat(problems).isEmpty();
    }
    Plan again = planner.plan(readings, c.local, kernel.list());
    assertThat(again.ops()).as("planning again").isEmpty();
    assertThat(again.problems()).isEqualTo(plan.problems());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answerDoesNotDependOnNodeOrder(Case c) throws Exception {
    List<NodeReading> readings = c.nodes.stream().map(n -> n.reading(c.config)).toList();
    List<NodeReading> reversed = new ArrayList<>(readings);
    Collections.reverse(reversed);
    List<Route> before = c.before.stream().map(RoutePlannerTest::route).toList();
    RoutePlanner planner = new RoutePlanner(config(OptionalInt.empty()));
    assertThat(planner.plan(reversed, c.local, before))
        .isEqualTo(planner.plan(readings, c.local, before));
  }

  @Test
  void leavesAnUnchangedKernelAloneWithoutAnyOperation() throws Exception {
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    kernel.add(route("20.0.0.0/24 via 192.168.1.1"));
    List<NodeReading> nodes =
        List.of(node("peer").internalIp("192.168.1.1").podCidrs("20.0.0.0/24").reading(SPEC));
    Plan plan = new RoutePlanner(config(OptionalInt.empty())).plan(nodes, HOST, kernel.list());
    assertThat(plan.inSync()).isTrue();
    assertThat(plan.desired())
        .containsExactly(new DesiredRoute("peer", route("20.0.0.0/24 via 192.168.1.1")));
  }

  @Test
  void aConfiguredMetricMovesTheRouteToItsOwnSlot() throws Exception {
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    kernel.add(route("20.0.0.0/24 via 192.168.1.1"));
    List<NodeReading> nodes =
        List.of(node("peer").internalIp("192.168.1.1").podCidrs("20.0.0.0/24").reading(SPEC));
    Plan plan = new RoutePlanner(config(OptionalInt.of(100))).plan(nodes, HOST, kernel.list());
    assertThat(plan.ops())
        .extracting(Object::toString)
        .containsExactly(
            "replace 20.0.0.0/24 via 192.168.1.1 proto 202 metric 100",
            "delete 20.0.0.0/24 via 192.168.1.1 dev eth0 proto 202 metric 0");
  }

  @Test
  void replacesComeBeforeDeletes() {
    List<Route> installed = List.of(route("10.0.0.0/16 via 192.168.1.2"));
    List<NodeReading> nodes =
        List.of(node("peer").internalIp("192.168.1.2").podCidrs("10.0.1.0/24").reading(SPEC));
    Plan plan = new RoutePlanner(config(OptionalInt.empty())).plan(nodes, HOST, installed);
    assertThat(plan.ops()).hasSize(2).first().isInstanceOf(RouteOp.Replace.class);
    assertThat(plan.ops().get(1)).isInstanceOf(RouteOp.Delete.class);
  }

  @Test
  void withoutAHostViewEveryRouteIsPlanned() {
    List<NodeReading> nodes =
        List.of(node("peer").internalIp("10.0.0.1").podCidrs("10.0.0.0/16").reading(SPEC));
    Plan plan =
        new RoutePlanner(config(OptionalInt.empty())).plan(nodes, LocalAddresses.none(), List.of());
    assertThat(plan.problems()).isEmpty();
    assertThat(plan.ops()).hasSize(1);
  }

  static PlannerConfig config(OptionalInt metric) {
    return new PlannerConfig(OWN_NODE, Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, metric);
  }

  /** {@code "10.0.0.0/24 via 11.0.0.1"} or {@code "... dev eth0"}. */
  static Route route(String text) {
    String[] f = text.split(" ");
    Optional<String> dev = f.length > 3 ? Optional.of(f[4]) : Optional.empty();
    return new Route(
        Cidr.parse(f[0]),
        IpLiteral.parse(f[2]),
        Route.DEFAULT_PROTOCOL,
        Route.MAIN_TABLE,
        OptionalInt.empty(),
        dev,
        OptionalInt.empty());
  }

  /** A kernel route as the cases write it: the device only where it matters (link-local). */
  static String text(Route r) {
    String base = r.dst() + " via " + IpLiteral.format(r.gateway());
    return r.gateway().isLinkLocalAddress() ? base + " dev " + r.device().orElse("?") : base;
  }
}
