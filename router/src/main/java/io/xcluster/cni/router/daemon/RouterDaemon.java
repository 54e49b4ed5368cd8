package io.xcluster.cni.router.daemon;

import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.nodes.NodeSource;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.reconcile.ReconcileListener;
import io.xcluster.cni.router.reconcile.ReconcileLoop;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import io.xcluster.cni.router.reconcile.RouteReconciler;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router daemon, runnable in-process: Nodes in, kernel routes out. It wires a {@link
 * NodeSource}, a {@link RouteTable} and the host's links to a {@link RouteReconciler}, runs it on a
 * {@link ReconcileLoop}, and re-converges on every Node change, every kernel report (an owned route
 * deleted, a link up or down, lost notifications) and every resync period.
 *
 * <p>Closing it stops all of that and leaves every route where it is: routes survive restarts and
 * upgrades, and the next router picks them up by their protocol number.
 */
public final class RouterDaemon implements AutoCloseable {
  static final Duration FIRST_RETRY = Duration.ofMillis(200);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);
  static final Duration COMPACT_AFTER = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(RouterDaemon.class);

  /**
   * What the daemon does.
   *
   * @param planner the planner with our node, protocol, table and metric
   * @param projection what is read of each Node
   * @param resyncPeriod how often everything is compared even without events
   * @param metricsAddress where to serve /metrics, /healthz and /readyz; empty for nowhere
   */
  public record Settings(
      RoutePlanner planner,
      NodeProjection projection,
      Duration resyncPeriod,
      Optional<InetSocketAddress> metricsAddress) {}

  /**
   * What the daemon talks to.
   *
   * @param table the kernel's routes of our protocol and table
   * @param nodes where the Nodes come from
   * @param links this host's addresses
   * @param events where Node problems are posted, if anywhere
   * @param publisher the {@code --address-interface} publisher, if any
   */
  public record Parts(
      RouteTable table,
      NodeSource nodes,
      LocalLinks links,
      Optional<NodeEventSink> events,
      Optional<OwnAddressPublisher> publisher) {}

  private final Settings settings;
  private final Parts parts;
  private final RouterMetrics metrics = new RouterMetrics(Clock.systemUTC());
  private final RouteReconciler reconciler;
  private final ReconcileLoop loop;
  private final Optional<NodeProblemEvents> problemEvents;
  private final List<AutoCloseable> running = new ArrayList<>();

  /**
   * Publishes the own addresses off the reconcile thread: at start, each period, on link events.
   */
  private final ScheduledExecutorService publishing =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("address-publisher").factory());

  private volatile boolean ready;
  private HealthServer health;

  public RouterDaemon(Settings settings, Parts parts) {
    this.settings = settings;
    this.parts = parts;
    this.problemEvents = parts.events().map(NodeProblemEvents::new);
    List<ReconcileListener> listeners = new ArrayList<>();
    listeners.add(metrics);
    listeners.add(
        new ReconcileListener() {
          @Override
          public void reconciled(ReconcileOutcome outcome) {
            if (!ready) {
              log.info(
                  "First full reconcile done: {} routes desired, {} installed, {} failed",
                  outcome.plan().desired().size(),
                  outcome.installed(),
                  outcome.failures().size());
              Thread.ofPlatform().daemon().name("heap-compact").start(RouterDaemon::compactHeap);
            }
            ready = true;
          }
        });
    problemEvents.ifPresent(listeners::add);
    this.reconciler =
        new RouteReconciler(
            parts.nodes(),
            new NodeReadingCache(settings.projection()),
            parts.table(),
            parts.links(),
            settings.planner(),
            ReconcileListener.all(listeners.toArray(ReconcileListener[]::new)),
            settings.resyncPeriod());
    this.loop = new ReconcileLoop(reconciler, RouteReconciler.KEY, FIRST_RETRY, MAX_RETRY);
  }

  /**
   * Starts serving, watching and reconciling; returns at once.
   *
   * @throws IOException when the metrics port cannot be bound or the Node source cannot start
   */
  public synchronized void start() throws IOException {
    if (settings.metricsAddress().isPresent()) {
      health = HealthServer.start(settings.metricsAddress().get(), metrics.registry(), () -> ready);
      running.add(health);
      log.info("Serving /metrics, /healthz and /readyz on port {}", health.port());
    }
    parts
        .publisher()
        .ifPresent(
            p -> {
              publishing.scheduleWithFixedDelay(
                  p::publish, 0, settings.resyncPeriod().toMillis(), TimeUnit.MILLISECONDS);
              running.add(publishing::shutdownNow);
            });
    try {
      running.add(parts.table().watch(new KernelEvents()));
    } catch (IOException e) {
      log.warn(
          "Cannot watch the kernel's routes ({}); drift is repaired every {} s only",
          e.getMessage(),
          settings.resyncPeriod().toSeconds());
    }
    parts.nodes().start(loop::trigger);
    running.add(parts.nodes());
    loop.start();
    log.info(
        "Routing for node {} with protocol {} in table {}",
        settings.planner().config().ownNode(),
        parts.table().protocol(),
        parts.table().table());
  }

  /**
   * Collects once after the first full reconcile, so that the heap the start-up needed (the first
   * Node list, decoded and planned while earlier objects were still live) goes back to the system:
   * the launcher's Serial GC returns what is free beyond {@code MaxHeapFreeRatio} after a full
   * collection ({@code -XX:-ShrinkHeapInSteps}: all of it at once), and a steady daemon seldom
   * makes one by itself. With 5 000 Nodes this gives back some 8 MiB of RSS for good.
   */
  static void compactHeap() {
    try {
      // After the reconcile that got here has returned and let go of its plan.
      Thread.sleep(COMPACT_AFTER);
    } catch (InterruptedException e) {
      return;
    }
    Runtime runtime = Runtime.getRuntime();
    long before = runtime.totalMemory();
    long start = System.nanoTime();
    System.gc();
    log.debug(
        "Heap after start-up: {} -> {} KiB committed, {} KiB used, collected in {} ms",
        before / 1024,
        runtime.totalMemory() / 1024,
        (runtime.totalMemory() - runtime.freeMemory()) / 1024,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Whether the first full reconcile is done. */
  public boolean ready() {
    return ready;
  }

  /** The port of /metrics, /healthz and /readyz, if served. */
  public Optional<Integer> healthPort() {
    return Optional.ofNullable(health).map(HealthServer::port);
  }

  public RouterMetrics metrics() {
    return metrics;
  }

  /** Asks for a reconcile now. */
  public void trigger() {
    loop.trigger();
  }

  /** Re-converges on whatever the kernel reports: each report only schedules a reconcile. */
  private final class KernelEvents implements RouteTable.RouteEvents {
    @Override
    public void routeDeleted(Route route) {
      log.debug("Kernel: route deleted: {}", route);
      loop.trigger();
    }

    @Override
    public void linkChanged(String device, boolean up) {
      log.debug("Kernel: link {} {}", device, up ? "up" : "down");
      parts.publisher().ifPresent(p -> publishing.execute(p::publish));
      loop.trigger();
    }

    @Override
    public void resyncNeeded() {
      log.info("Kernel notifications were lost; comparing everything");
      loop.trigger();
    }
  }

  /** Stops everything; every route stays where it is. */
  @Override
  public synchronized void close() {
    loop.close();
    Logging.muteInformerStop();
    for (AutoCloseable c : running.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("Closing {}: {}", c, e.getMessage());
      }
    }
    problemEvents.ifPresent(NodeProblemEvents::close);
    try {
      parts.table().close();
    } catch (IOException e) {
      log.debug("Closing the route table: {}", e.getMessage());
    }
    log.info("Stopped; routes are left in place");
  }
}
