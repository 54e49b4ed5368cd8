package io.xcluster.cni.router;

import io.xcluster.cni.router.daemon.LogbackProvider;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code xcluster-cni} program. Its main job is {@code daemon}: keep one kernel route per peer
 * pod CIDR, tagged with a protocol number that says the route is ours. The other subcommands help a
 * person see and prepare what the daemon does.
 *
 * <p>This class only wires the commands together.
 */
@Command(
    name = "xcluster-cni",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Routes pod networks between Kubernetes nodes, without a tunnel.",
    subcommands = {
      DaemonCommand.class,
      SyncCommand.class,
      PlanCommand.class,
      NodesCommand.class,
      RoutesCommand.class,
      AnnotateCommand.class,
      CidrCommand.class,
      InstallCommand.class,
      UninstallCommand.class,
      VersionCommand.class
    })
public final class RouterMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with every subcommand, for main and for tests. */
  public static CommandLine commandLine() {
    // picocli otherwise looks for Groovy's Closure class, a lookup that opens every jar on the
    // class path before it fails; each open jar keeps its central directory on the heap.
    System.setProperty("picocli.disable.closures", "true");
    return new CommandLine(new RouterMain())
        .setExecutionExceptionHandler(RouterMain::reportFailure);
  }

  /** A failed command prints one line saying why and exits 1; the stack trace is for debug logs. */
  private static int reportFailure(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    LoggerFactory.getLogger(RouterMain.class).debug("Command failed", e);
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    commandLine.getErr().println("xcluster-cni " + commandLine.getCommandName() + ": " + message);
    commandLine.getErr().flush();
    return 1;
  }

  public static void main(String[] args) {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", LogbackProvider.class.getName());
      // Without this SLF4J reports on stderr, at every start, that it used the property.
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    System.exit(commandLine().execute(args));
  }
}
