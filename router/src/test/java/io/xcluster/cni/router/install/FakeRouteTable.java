package io.xcluster.cni.router.install;

import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.router.route.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Routes in memory, of every protocol; lists and changes only its own, like the kernel's. */
final class FakeRouteTable implements RouteTable {
  final List<Route> routes = new ArrayList<>();
  final Set<Route> refuseDelete;
  private final int protocol;
  boolean closed;

  FakeRouteTable(int protocol, Set<Route> refuseDelete) {
    this.protocol = protocol;
    this.refuseDelete = refuseDelete;
  }

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public int table() {
    return Route.MAIN_TABLE;
  }

  @Override
  public List<Route> list() {
    return routes.stream().filter(r -> r.protocol() == protocol).toList();
  }

  @Override
  public List<RouteFailure> apply(List<RouteOp> ops) {
    List<RouteFailure> failures = new ArrayList<>();
    for (RouteOp op : ops) {
      if (op.route().protocol() != protocol) {
        throw new AssertionError("not ours: " + op);
      }
      switch (op) {
        case RouteOp.Delete d when refuseDelete.contains(d.route()) ->
            failures.add(new RouteFailure(op, 1, "Operation not permitted"));
        case RouteOp.Delete d -> routes.remove(d.route());
        case RouteOp.Replace r -> routes.add(r.route());
      }
    }
    return failures;
  }

  @Override
  public AutoCloseable watch(RouteEvents listener) {
    return () -> {};
  }

  @Override
  public void close() {
    closed = true;
  }
}
