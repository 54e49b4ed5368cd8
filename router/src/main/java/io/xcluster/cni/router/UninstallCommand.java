package io.xcluster.cni.router;

import io.xcluster.cni.router.install.InstanceOptions;
import io.xcluster.cni.router.install.RouteTableOpener;
import io.xcluster.cni.router.install.Uninstaller;
import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni uninstall}: opt-in removal of one network instance from this node: its routes
 * (by protocol number), its kubeconfig and, for the main network, the CNI conf. Plugins stay.
 * Delete the DaemonSet first, or the daemon puts the routes back.
 */
@Command(
    name = "uninstall",
    description =
        "Remove this network instance's routes, kubeconfig and (main network) CNI conf from"
            + " this node. The plugins stay: other instances and running pods use them.",
    mixinStandardHelpOptions = true)
final class UninstallCommand implements Callable<Integer> {
  /** The kernel's routes over rtnetlink (IPv4 nexthop objects are cleaned up too). */
  static final RouteTableOpener KERNEL =
      (protocol, table) -> NetlinkRouteTable.open(protocol, table, false);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin InstanceOptions instance;

  @Option(
      names = "--protocol",
      defaultValue = "${env:PROTOCOL:-" + Route.DEFAULT_PROTOCOL + "}",
      description =
          "The route protocol number this instance owns (env PROTOCOL, default ${DEFAULT-VALUE}).")
  int protocol;

  @Option(
      names = "--table",
      defaultValue = "${env:TABLE:-" + Route.MAIN_TABLE + "}",
      description = "The routing table (env TABLE, default ${DEFAULT-VALUE}, main).")
  int table;

  @Option(names = "--keep-routes", description = "Leave the routes; remove only the files.")
  boolean keepRoutes;

  private final RouteTableOpener routeTables;

  UninstallCommand() {
    this(KERNEL);
  }

  UninstallCommand(RouteTableOpener routeTables) {
    this.routeTables = routeTables;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (protocol < 1 || protocol > 255) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--protocol " + protocol + " is not in 1..255");
    }
    Uninstaller uninstaller = new Uninstaller(out::println);
    int status = 0;
    try {
      uninstaller.removeFiles(
          instance.layout(), instance.role() == InstanceOptions.NetworkRole.MAIN);
    } catch (IOException | IllegalArgumentException e) {
      err.println("xcluster-cni uninstall: " + e.getMessage());
      status = 1;
    }
    if (!keepRoutes) {
      try (RouteTable routes = routeTables.open(protocol, table)) {
        List<RouteFailure> failures = uninstaller.removeRoutes(routes);
        if (!failures.isEmpty()) {
          status = 1;
        }
      } catch (IOException e) {
        err.println(
            "xcluster-cni uninstall: routes of protocol " + protocol + ": " + e.getMessage());
        status = 1;
      }
    }
    return status;
  }
}
