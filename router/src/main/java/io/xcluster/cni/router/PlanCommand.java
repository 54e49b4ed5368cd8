package io.xcluster.cni.router;

import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.netlink.NetlinkLocalLinks;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.nodes.SnapshotNodeSource;
import io.xcluster.cni.router.plan.Plan;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.RouteTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni plan}: the dry run. Reads the Nodes and the kernel's routes, prints what the
 * router would install, what it would change and what is wrong with the input; changes nothing.
 */
@Command(
    name = "plan",
    description = {
      "Show what the router would do, without doing it: desired routes, changes against the"
          + " kernel, problems.",
      "Exit status: 0 in sync, 2 changes pending, 1 error."
    })
final class PlanCommand implements Callable<Integer> {
  static final int CHANGES_PENDING = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RouteOptions route;
  @Mixin LogOptions logging;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json. Default: ${DEFAULT-VALUE}")
  OutputFormat output;

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
    Plan plan;
    try (RouteTable table = route.openTable(routeTables)) {
      plan =
          planner.plan(
              new NodeReadingCache(projection).read(nodes.lister().list()),
              links.read(),
              table.list());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      out.println(PlanOutput.json(plan));
    } else {
      PlanOutput.text(plan, out);
    }
    out.flush();
    return plan.inSync() ? 0 : CHANGES_PENDING;
  }
}
