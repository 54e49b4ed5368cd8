package io.xcluster.cni.router.plan;

import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteOp;
import java.util.List;

/**
 * The planner's answer: what the kernel should hold, what to change to get there, and what was
 * wrong with the input.
 *
 * @param desired every route the Nodes ask for, by destination
 * @param ops the changes, replacements first (make before break), then deletions
 * @param kept installed routes that no Node asks for but that are not deleted, because the Node
 *     they probably belong to has unreadable input right now
 * @param problems per Node, in Node order
 */
public record Plan(
    List<DesiredRoute> desired, List<RouteOp> ops, List<Route> kept, List<NodeProblem> problems) {

  public Plan {
    desired = List.copyOf(desired);
    ops = List.copyOf(ops);
    kept = List.copyOf(kept);
    problems = List.copyOf(problems);
  }

  /** Whether the kernel already holds what the Nodes ask for. */
  public boolean inSync() {
    return ops.isEmpty();
  }
}
