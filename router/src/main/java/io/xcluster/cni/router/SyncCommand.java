package io.xcluster.cni.router;

import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.netlink.NetlinkLocalLinks;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.nodes.SnapshotNodeSource;
import io.xcluster.cni.router.plan.NodeProblem;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.reconcile.ReconcileListener;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import io.xcluster.cni.router.reconcile.RouteReconciler;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.router.route.RouteTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code xcluster-cni sync}: one reconcile with the daemon's options, then exit. Prints what it
 * changed; exit status 1 when any route failed.
 */
@Command(
    name = "sync",
    description = {
      "Reconcile the routes once and exit; prints what changed.",
      "Exit status: 0 all routes in place, 1 a route failed or the input could not be read."
    })
final class SyncCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RouteOptions route;
  @Mixin LogOptions logging;

  /** How the kernel's table is opened; tests hand in an in-memory one. */
  RouteTables.Factory routeTables = RouteTables::kernel;

  /** This host's addresses; tests hand in fixed ones. */
  LocalLinks links = new NetlinkLocalLinks();

  @Override
  public Integer call() throws Exception {
    logging.apply();
    RoutePlanner planner = new RoutePlanner(route.plannerConfig());
    NodeProjection projection = route.projection();
    SnapshotNodeSource nodes = route.readNodes(projection);
    ReconcileOutcome outcome;
    try (RouteTable table = route.openTable(routeTables)) {
      outcome =
          new RouteReconciler(
                  nodes,
                  new NodeReadingCache(projection),
                  table,
                  links,
                  planner,
                  new ReconcileListener() {},
                  Duration.ZERO)
              .reconcileOnce();
    }
    PrintWriter out = spec.commandLine().getOut();
    for (RouteOp op : outcome.done()) {
      out.println(PlanOutput.change(op));
    }
    for (RouteFailure f : outcome.failures()) {
      out.println("failed: " + PlanOutput.change(f.op()) + ": " + f.message());
    }
    for (NodeProblem p : outcome.plan().problems()) {
      out.println("problem: " + p);
    }
    if (outcome.plan().ops().isEmpty()) {
      out.println("in sync: " + outcome.installed() + " routes");
    }
    out.flush();
    return outcome.succeeded() ? 0 : 1;
  }
}
