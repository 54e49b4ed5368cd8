package io.xcluster.cni.router.reconcile;

import static io.xcluster.cni.router.nodes.TestNodes.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.extended.controller.reconciler.Result;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.nodes.CacheNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.plan.PlannerConfig;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import io.xcluster.cni.router.route.Route;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against a real client-java Cache and Lister, and the in-memory kernel. */
class RouteReconcilerTest {
  static final Duration RESYNC = Duration.ofSeconds(60);
  static final LocalAddresses HOST =
      new LocalAddresses(List.of(LinkAddress.of("eth0", "192.168.1.10/24")));

  CacheNodeSource nodes;
  InMemoryRouteTable kernel;
  List<ReconcileOutcome> outcomes;
  List<Exception> failures;
  RouteReconciler reconciler;

  @BeforeEach
  void setUp() {
    nodes = new CacheNodeSource();
    kernel = new InMemoryRouteTable();
    outcomes = new ArrayList<>();
    failures = new ArrayList<>();
    ReconcileListener listener =
        new ReconcileListener() {
          @Override
          public void reconciled(ReconcileOutcome outcome) {
            outcomes.add(outcome);
          }

          @Override
          public void failed(Exception cause) {
            failures.add(cause);
          }
        };
    reconciler =
        new RouteReconciler(
            nodes,
            new NodeReadingCache(new NodeProjection(NodeAnnotations.fromSpec())),
            kernel,
            LocalLinks.fixed(HOST),
            new RoutePlanner(
                new PlannerConfig(
                    "self", Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, OptionalInt.empty())),
            listener,
            RESYNC);
  }

  @Test
  void touchesNothingBeforeTheFirstCompleteNodeList() {
    kernel.add(route("10.9.0.0/24 via 192.168.1.9"));
    nodes.put(peer("a", "10.1.0.0/24", "192.168.1.1"));

    Result result = reconciler.reconcile(RouteReconciler.KEY);

    assertThat(result).isEqualTo(new Result(true, RouteReconciler.NOT_SYNCED_POLL));
    assertThat(kernel.listCalls()).isZero();
    assertThat(kernel.applied()).isEmpty();
  }

  @Test
  void convergesOnTheCacheAndComesBackAfterTheResyncPeriod() throws IOException {
    kernel.add(route("10.9.0.0/24 via 192.168.1.9"));
    nodes
        .put(peer("self", "10.0.0.0/24", "192.168.1.10"))
        .put(peer("a", "10.1.0.0/24", "192.168.1.1"))
        .put(peer("b", "10.2.0.0/24", "192.168.1.2"))
        .synced();

    Result result = reconciler.reconcile(RouteReconciler.KEY);

    assertThat(result).isEqualTo(new Result(true, RESYNC));
    assertThat(text(kernel.list()))
        .containsExactlyInAnyOrder("10.1.0.0/24 via 192.168.1.1", "10.2.0.0/24 via 192.168.1.2");
    assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.installed()).isEqualTo(2));
    assertThat(outcomes.getFirst().done()).extracting(Object::toString).hasSize(3);
  }

  @Test
  void aSecondRunWithNothingChangedAppliesNothing() {
    nodes.put(peer("a", "10.1.0.0/24", "192.168.1.1")).synced();
    reconciler.reconcile(RouteReconciler.KEY);
    kernel.clearApplied();

    reconciler.reconcile(RouteReconciler.KEY);

    assertThat(kernel.applied()).isEmpty();
    assertThat(outcomes.getLast().plan().inSync()).isTrue();
    assertThat(outcomes.getLast().installed()).isEqualTo(1);
  }

  @Test
  void aFailingRouteDoesNotBlockTheOthersAndIsRetriedWithBackoff() throws IOException {
    nodes
        .put(peer("a", "10.1.0.0/24", "192.168.1.1"))
        .put(peer("b", "10.2.0.0/24", "192.168.1.2"))
        .synced();
    kernel.failOn(
        Cidr.parse("10.1.0.0/24"), InMemoryRouteTable.ENETUNREACH, "Network is unreachable");

    Result result = reconciler.reconcile(RouteReconciler.KEY);

    assertThat(result).as("rate-limited retry").isEqualTo(new Result(true));
    assertThat(text(kernel.list())).containsExactlyInAnyOrder("10.2.0.0/24 via 192.168.1.2");
    assertThat(outcomes.getLast().failures())
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).contains("10.1.0.0/24", "Network is unreachable"));

    kernel.heal(Cidr.parse("10.1.0.0/24"));
    assertThat(reconciler.reconcile(RouteReconciler.KEY)).isEqualTo(new Result(true, RESYNC));
    assertThat(text(kernel.list()))
        .containsExactlyInAnyOrder("10.1.0.0/24 via 192.168.1.1", "10.2.0.0/24 via 192.168.1.2");
  }

  @Test
  void aKernelThatCannotBeAskedChangesNothingAndIsRetried() {
    nodes.put(peer("a", "10.1.0.0/24", "192.168.1.1")).synced();
    kernel.failList(new IOException("netlink socket: Operation not permitted"));

    assertThat(reconciler.reconcile(RouteReconciler.KEY)).isEqualTo(new Result(true));
    assertThat(failures)
        .singleElement()
        .extracting(Exception::getMessage)
        .asString()
        .contains("netlink");
    assertThat(kernel.applied()).isEmpty();
  }

  @Test
  void aDeletedNodeLosesItsRoutes() throws IOException {
    var a = peer("a", "10.1.0.0/24", "192.168.1.1");
    nodes.put(a).put(peer("b", "10.2.0.0/24", "192.168.1.2")).synced();
    reconciler.reconcile(RouteReconciler.KEY);

    nodes.remove(a);
    reconciler.reconcile(RouteReconciler.KEY);

    assertThat(text(kernel.list())).containsExactlyInAnyOrder("10.2.0.0/24 via 192.168.1.2");
  }

  @Test
  void foreignRoutesAreNeverTouched() throws IOException {
    Route foreign =
        new Route(
            Cidr.parse("10.1.0.0/16"),
            IpLiteral.parse("192.168.1.254"),
            4,
            Route.MAIN_TABLE,
            OptionalInt.empty(),
            java.util.Optional.empty(),
            OptionalInt.empty());
    Route otherTable =
        Route.of(Cidr.parse("10.7.0.0/24"), IpLiteral.parse("192.168.1.7"), 202, 100);
    kernel.add(foreign).add(otherTable);
    nodes.put(peer("a", "10.1.0.0/24", "192.168.1.1")).synced();

    reconciler.reconcile(RouteReconciler.KEY);

    assertThat(kernel.kernelRoutes()).hasSize(3);
    assertThat(kernel.applied())
        .extracting(Object::toString)
        .containsExactly("replace 10.1.0.0/24 via 192.168.1.1 proto 202");
  }

  @Test
  void aForeignRouteInTheWayIsAFailureNotAnOverwrite() throws IOException {
    Route foreign =
        new Route(
            Cidr.parse("10.1.0.0/24"),
            IpLiteral.parse("192.168.1.254"),
            4,
            Route.MAIN_TABLE,
            OptionalInt.empty(),
            java.util.Optional.empty(),
            OptionalInt.empty());
    kernel.add(foreign);
    nodes
        .put(peer("a", "10.1.0.0/24", "192.168.1.1"))
        .put(peer("b", "10.2.0.0/24", "192.168.1.2"))
        .synced();

    assertThat(reconciler.reconcile(RouteReconciler.KEY)).isEqualTo(new Result(true));

    assertThat(outcomes.getLast().failures())
        .singleElement()
        .satisfies(f -> assertThat(f.errno()).isEqualTo(InMemoryRouteTable.EEXIST));
    assertThat(kernel.kernelRoutes())
        .anySatisfy(
            r -> {
              assertThat(r.dst()).isEqualTo(foreign.dst());
              assertThat(r.protocol()).isEqualTo(4);
              assertThat(r.gateway()).isEqualTo(foreign.gateway());
            });
    assertThat(text(kernel.list())).containsExactly("10.2.0.0/24 via 192.168.1.2");
  }

  @Test
  void aChangedHostAddressIsSeenAtTheNextReconcile() throws IOException {
    java.util.concurrent.atomic.AtomicReference<LocalAddresses> host =
        new java.util.concurrent.atomic.AtomicReference<>(HOST);
    RouteReconciler withHost =
        new RouteReconciler(
            nodes,
            new NodeReadingCache(new NodeProjection(NodeAnnotations.fromSpec())),
            kernel,
            host::get,
            new RoutePlanner(
                new PlannerConfig(
                    "self", Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE, OptionalInt.empty())),
            new ReconcileListener() {},
            RESYNC);
    nodes.put(peer("a", "10.1.0.0/24", "192.168.1.1")).synced();
    withHost.reconcileOnce();
    assertThat(kernel.list()).hasSize(1);

    // This host now has an address in 10.1.0.0/24: the route to it must go.
    host.set(
        new LocalAddresses(
            List.of(
                LinkAddress.of("eth0", "192.168.1.10/24"), LinkAddress.of("br1", "10.1.0.1/24"))));
    ReconcileOutcome outcome = withHost.reconcileOnce();

    assertThat(kernel.list()).isEmpty();
    assertThat(outcome.plan().problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("which this host reaches directly"));
  }

  static Route route(String text) {
    String[] f = text.split(" ");
    return Route.of(
        Cidr.parse(f[0]), IpLiteral.parse(f[2]), Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE);
  }

  static List<String> text(List<Route> routes) {
    return routes.stream().map(r -> r.dst() + " via " + IpLiteral.format(r.gateway())).toList();
  }
}
