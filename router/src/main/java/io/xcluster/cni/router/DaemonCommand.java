package io.xcluster.cni.router;

import io.xcluster.cni.router.daemon.KubeNodeEventSink;
import io.xcluster.cni.router.daemon.NodeEventSink;
import io.xcluster.cni.router.daemon.OwnAddressPublisher;
import io.xcluster.cni.router.daemon.ProtocolLock;
import io.xcluster.cni.router.daemon.RouterDaemon;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.install.InstanceOptions;
import io.xcluster.cni.router.install.TokenRefresher;
import io.xcluster.cni.router.kube.KubeClients;
import io.xcluster.cni.router.netlink.NetlinkLocalLinks;
import io.xcluster.cni.router.nodes.FileNodeSource;
import io.xcluster.cni.router.nodes.InformerNodeSource;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeSource;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni daemon}: the DaemonSet's main process. Keeps one kernel route per peer pod
 * CIDR until SIGTERM, and leaves the routes in place when it stops (the JVM's exit status after a
 * signal is 128+signal, e.g. 143, as for any process ended by SIGTERM).
 */
@Command(
    name = "daemon",
    description = {
      "Keep one kernel route per peer pod CIDR: <cidr> via <peer address> proto PROTOCOL.",
      "Routes are left in place on exit; the next router takes them over by their protocol."
    })
final class DaemonCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RouteOptions route;
  @Mixin LogOptions logging;

  /** Which kubeconfig this instance keeps fresh for kube-node (the installer's options). */
  @Mixin InstanceOptions instance;

  @Option(
      names = "--resync-period",
      defaultValue = "${env:RESYNC_PERIOD:-60s}",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Compare everything this often even without events (e.g. 60s, 5m)."
              + " Default: ${DEFAULT-VALUE}. Env: RESYNC_PERIOD")
  Duration resyncPeriod;

  @Option(
      names = "--metrics-address",
      defaultValue = "${env:METRICS_ADDRESS:-:9720}",
      paramLabel = "[HOST]:PORT",
      description =
          "Serve /metrics, /healthz and /readyz here; empty: not at all."
              + " Default: ${DEFAULT-VALUE}. Env: METRICS_ADDRESS")
  String metricsAddress;

  @Option(
      names = "--address-interface",
      defaultValue = "${env:ADDRESS_INTERFACE}",
      paramLabel = "LINK",
      description =
          "Write this Node's addresses on LINK into the address annotation (needs"
              + " --address-annotation). Env: ADDRESS_INTERFACE")
  String addressInterface;

  @Option(
      names = "--lock-dir",
      defaultValue = "${env:LOCK_DIR:-/run/xcluster-cni}",
      paramLabel = "DIR",
      description =
          "Directory of the per-protocol lock that keeps a second router with the same protocol"
              + " from running. Default: ${DEFAULT-VALUE}. Env: LOCK_DIR")
  Path lockDir;

  /** How the kernel's table is opened; tests hand in an in-memory one. */
  RouteTables.Factory routeTables = RouteTables::kernel;

  /** This host's addresses; tests hand in fixed ones. */
  LocalLinks links = new NetlinkLocalLinks();

  /** Counted down by SIGTERM or SIGINT (and by tests). */
  final CountDownLatch stop = new CountDownLatch(1);

  /** Counted down once the daemon has stopped, so the shutdown hook can wait for it. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The running daemon, for tests. */
  volatile RouterDaemon daemon;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    RoutePlanner planner = new RoutePlanner(route.plannerConfig());
    NodeProjection projection = route.projection();
    String node = planner.config().ownNode();
    Optional<InetSocketAddress> metrics = listenAddress(metricsAddress);
    if (addressInterface != null
        && !addressInterface.isBlank()
        && projection.annotations().addressAnnotation().isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--address-interface needs --address-annotation (the key to write)");
    }
    try (ProtocolLock lock = ProtocolLock.acquire(lockDir, route.protocol())) {
      log.info(
          "xcluster-cni {} starting (pid {})",
          VersionCommand.version(),
          ProcessHandle.current().pid());
      Optional<KubeClients.DaemonConnection> api =
          route.nodesFile().isPresent()
              ? Optional.empty()
              : Optional.of(KubeClients.connectDaemon(route.kubeconfig().orElse(null)));
      api.ifPresent(
          a ->
              log.info(
                  "Kubernetes API from the {}{}",
                  a.source(),
                  a.lean() ? "" : " (through client-java's ApiClient)"));
      RouteTable table = route.openTable(routeTables);
      NodeSource nodes =
          route
              .nodesFile()
              .<NodeSource>map(file -> new FileNodeSource(file, projection))
              .orElseGet(() -> new InformerNodeSource(api.get().http(), projection));
      Optional<NodeEventSink> events =
          api.map(a -> new KubeNodeEventSink(a.api(), node, Clock.systemUTC()));
      Optional<OwnAddressPublisher> publisher =
          api.filter(a -> addressInterface != null && !addressInterface.isBlank())
              .map(
                  a ->
                      new OwnAddressPublisher(
                          links,
                          addressInterface.strip(),
                          projection.annotations().addressAnnotation().orElseThrow(),
                          node,
                          OwnAddressPublisher.kube(a.api())));
      Optional<TokenRefresher> refresher =
          api.isPresent()
              ? instance.tokenRefresher(System::getenv, api.get().http())
              : Optional.empty();
      RouterDaemon running =
          new RouterDaemon(
              new RouterDaemon.Settings(planner, projection, resyncPeriod, metrics),
              new RouterDaemon.Parts(table, nodes, links, events, publisher));
      Thread hook = Thread.ofPlatform().unstarted(this::stopFromSignal);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        startRefresher(refresher);
        running.start();
        daemon = running;
        stop.await();
        log.info("Stopping");
      } finally {
        running.close();
        closeRefresher(refresher);
        stopped.countDown();
        removeHook(hook);
      }
    }
    return 0;
  }

  /**
   * Keeps kube-node's kubeconfig token valid. A failure is logged and retried by the refresher; it
   * never stops the router.
   */
  private static void startRefresher(Optional<TokenRefresher> refresher) {
    refresher.ifPresent(
        r -> {
          try {
            r.start();
          } catch (IOException | RuntimeException e) {
            log.warn("kube-node's kubeconfig: {}; routing goes on", e.getMessage());
          }
        });
  }

  private static void closeRefresher(Optional<TokenRefresher> refresher) {
    try {
      if (refresher.isPresent()) {
        refresher.get().close();
      }
    } catch (IOException e) {
      log.warn("kube-node's kubeconfig refresher: {}", e.getMessage());
    }
  }

  /**
   * SIGTERM or SIGINT: the JVM runs this hook; the daemon stops (routes stay) before the process
   * ends.
   */
  private void stopFromSignal() {
    stop.countDown();
    try {
      stopped.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is what stopped us.
    }
  }

  /** {@code :9720}, {@code 0.0.0.0:9720}, {@code [::1]:9720}; empty for none. */
  Optional<InetSocketAddress> listenAddress(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    try {
      int port = Integer.parseInt(t.substring(colon + 1));
      String host = colon <= 0 ? "" : t.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return Optional.of(
          host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--metrics-address '" + text + "' is not [HOST]:PORT (e.g. :9720 or 127.0.0.1:9720)");
    }
  }

  /** {@code 60s}, {@code 5m}, {@code 1h}, {@code 500ms}, or ISO-8601 {@code PT1M}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip();
      Duration d;
      try {
        if (v.toUpperCase().startsWith("P")) {
          d = Duration.parse(v);
        } else if (v.endsWith("ms")) {
          d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        } else if (v.endsWith("s")) {
          d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("m")) {
          d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("h")) {
          d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        } else {
          d = Duration.ofSeconds(Long.parseLong(v));
        }
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (e.g. 60s, 5m, 500ms)");
      }
      if (d.isNegative() || d.isZero()) {
        throw new CommandLine.TypeConversionException("'" + value + "' must be positive");
      }
      return d;
    }
  }
}
