package io.xcluster.cni.router;

import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the real command line with an in-memory kernel and a fixed host, capturing the output. */
final class CommandRun {
  static final LocalLinks HOST =
      LocalLinks.fixed(
          new LocalAddresses(
              List.of(
                  LinkAddress.of("lo", "127.0.0.1/8"),
                  LinkAddress.of("eth0", "192.168.1.10/24"),
                  LinkAddress.of("eth0", "fd00:1::10/64"))));

  final CommandLine commandLine = RouterMain.commandLine();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  CommandRun(InMemoryRouteTable kernel) {
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    PlanCommand plan = command("plan");
    plan.routeTables = (p, t, n) -> kernel;
    plan.links = HOST;
    SyncCommand sync = command("sync");
    sync.routeTables = (p, t, n) -> kernel;
    sync.links = HOST;
    DaemonCommand daemon = command("daemon");
    daemon.routeTables = (p, t, n) -> kernel;
    daemon.links = HOST;
  }

  @SuppressWarnings("unchecked")
  <T> T command(String name) {
    return (T) commandLine.getSubcommands().get(name).getCommand();
  }

  int execute(String... args) {
    return commandLine.execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
