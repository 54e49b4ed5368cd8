package io.xcluster.cni.router.route;

/** One change to the kernel's routes: the planner's output, the route table's input. */
public sealed interface RouteOp {
  Route route();

  /** Create the route, or replace the route with the same destination, table and metric. */
  record Replace(Route route) implements RouteOp {
    @Override
    public String toString() {
      return "replace " + route;
    }
  }

  /** Delete the route. */
  record Delete(Route route) implements RouteOp {
    @Override
    public String toString() {
      return "delete " + route;
    }
  }
}
