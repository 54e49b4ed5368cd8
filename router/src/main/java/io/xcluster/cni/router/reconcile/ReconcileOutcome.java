package io.xcluster.cni.router.reconcile;

import io.xcluster.cni.router.plan.Plan;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import java.time.Duration;
import java.util.List;

/**
 * What one reconcile did.
 *
 * @param plan what was planned
 * @param done the operations that landed
 * @param failures the operations the kernel refused
 * @param installed how many routes of ours the kernel holds afterwards
 * @param took how long the reconcile took, listing and applying included
 */
public record ReconcileOutcome(
    Plan plan, List<RouteOp> done, List<RouteFailure> failures, int installed, Duration took) {

  public ReconcileOutcome {
    done = List.copyOf(done);
    failures = List.copyOf(failures);
  }

  /** Whether every planned operation landed. */
  public boolean succeeded() {
    return failures.isEmpty();
  }
}
