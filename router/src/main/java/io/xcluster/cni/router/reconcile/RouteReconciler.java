package io.xcluster.cni.router.reconcile;

import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import io.xcluster.cni.router.nodes.NodeReadingCache;
import io.xcluster.cni.router.nodes.NodeSource;
import io.xcluster.cni.router.plan.NodeReading;
import io.xcluster.cni.router.plan.Plan;
import io.xcluster.cni.router.plan.RoutePlanner;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-based: every run compares all Nodes with all of our kernel routes and applies only the
 * difference. Which event woke it does not matter, so every event maps to the one {@link #KEY}, and
 * a burst of events is one reconcile.
 *
 * <p>Nothing runs before the Node source has its first complete list; a Node missing from a partial
 * list would otherwise lose its routes. A failed operation does not stop the others; the run then
 * asks to be retried with backoff. A successful run asks to come back after the resync period,
 * which repairs any drift that no event reported.
 */
public final class RouteReconciler implements Reconciler {
  /** The one work-queue key: all Nodes, all routes. */
  public static final Request KEY = new Request("routes");

  /** How soon to look again while the first Node list is still loading. */
  static final Duration NOT_SYNCED_POLL = Duration.ofMillis(50);

  private static final Logger log = LoggerFactory.getLogger(RouteReconciler.class);

  private final NodeSource nodes;
  private final NodeReadingCache readings;
  private final RouteTable table;
  private final LocalLinks links;
  private final RoutePlanner planner;
  private final ReconcileListener listener;
  private final Duration resyncPeriod;
  private Set<String> lastFailures = Set.of();
  private Set<String> lastProblems = Set.of();
  private boolean ownNodeMissing;
  // What the Nodes ask for, kept while the Nodes and the host's addresses stay the same.
  private List<NodeReading> lastReadings;
  private LocalAddresses lastLocal;
  private RoutePlanner.Desired lastDesired;

  public RouteReconciler(
      NodeSource nodes,
      NodeReadingCache readings,
      RouteTable table,
      LocalLinks links,
      RoutePlanner planner,
      ReconcileListener listener,
      Duration resyncPeriod) {
    this.nodes = nodes;
    this.readings = readings;
    this.table = table;
    this.links = links;
    this.planner = planner;
    this.listener = listener;
    this.resyncPeriod = resyncPeriod;
  }

  @Override
  public Result reconcile(Request request) {
    if (!nodes.hasSynced()) {
      log.debug("Waiting for the first complete Node list");
      return new Result(true, NOT_SYNCED_POLL);
    }
    ReconcileOutcome outcome;
    try {
      outcome = reconcileOnce();
    } catch (IOException | RuntimeException e) {
      log.warn("Reconcile failed, will retry: {}", e.getMessage(), e);
      listener.failed(e);
      return new Result(true);
    }
    listener.reconciled(outcome);
    return outcome.succeeded() ? new Result(true, resyncPeriod) : new Result(true);
  }

  /** Plans against the kernel without changing anything. */
  public Plan plan() throws IOException {
    List<NodeReading> current = readings.read(nodes.lister().list());
    LocalAddresses local = links.read();
    RoutePlanner.Desired desired;
    synchronized (this) {
      if (!sameReadings(current, lastReadings) || !local.equals(lastLocal)) {
        warnIfOwnNodeMissing(current);
        lastDesired = planner.desire(current, local);
        lastReadings = current;
        lastLocal = local;
      }
      desired = lastDesired;
    }
    return desired.diff(table.list());
  }

  /** The same Node readings (the same objects: unchanged Nodes) in the same order. */
  private static boolean sameReadings(List<NodeReading> a, List<NodeReading> b) {
    if (b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** A wrong NODE_NAME is the original's worst failure; say so once while it lasts. */
  private void warnIfOwnNodeMissing(List<NodeReading> current) {
    String own = planner.config().ownNode();
    boolean found = false;
    for (NodeReading r : current) {
      if (r.name().equals(own)) {
        found = true;
        break;
      }
    }
    if (!found && !ownNodeMissing && !current.isEmpty()) {
      log.warn(
          "This host's Node {} is not among the {} Nodes; is NODE_NAME right? Routes to prefixes"
              + " this host reaches directly are still never installed",
          own,
          current.size());
    }
    ownNodeMissing = !found;
  }

  /**
   * Plans and applies once.
   *
   * @throws IOException when the kernel or the host cannot be asked at all
   */
  public synchronized ReconcileOutcome reconcileOnce() throws IOException {
    long start = System.nanoTime();
    Plan plan = plan();
    logProblems(plan);
    List<RouteOp> done = List.of();
    List<RouteFailure> failures = List.of();
    int installed = plan.desired().size() + plan.kept().size();
    if (!plan.ops().isEmpty()) {
      failures = table.apply(plan.ops());
      done = landed(plan.ops(), failures);
      installed = table.list().size();
      logDone(done);
    }
    logFailures(failures);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    log.debug(
        "Reconciled {} desired routes, {} operations, {} failed, in {} ms",
        plan.desired().size(),
        plan.ops().size(),
        failures.size(),
        took.toMillis());
    return new ReconcileOutcome(plan, done, failures, installed, took);
  }

  /**
   * A few changes (a Node came or went) are logged one by one; a start-up or a large change in one
   * summary line, and each at debug, so 10 000 routes do not cost 10 000 lines.
   */
  private static void logDone(List<RouteOp> done) {
    if (done.size() <= LOGGED_ONE_BY_ONE) {
      for (RouteOp op : done) {
        log.info("Route {}", op);
      }
      return;
    }
    long deleted = done.stream().filter(op -> op instanceof RouteOp.Delete).count();
    log.info(
        "{} routes replaced, {} deleted (each at debug level)", done.size() - deleted, deleted);
    if (log.isDebugEnabled()) {
      for (RouteOp op : done) {
        log.debug("Route {}", op);
      }
    }
  }

  /** Up to this many route operations of one reconcile are logged one by one at info level. */
  static final int LOGGED_ONE_BY_ONE = 16;

  private static List<RouteOp> landed(List<RouteOp> ops, List<RouteFailure> failures) {
    if (failures.isEmpty()) {
      return ops;
    }
    Set<RouteOp> failed = new HashSet<>();
    for (RouteFailure f : failures) {
      failed.add(f.op());
    }
    List<RouteOp> landed = new ArrayList<>(ops.size());
    for (RouteOp op : ops) {
      if (!failed.contains(op)) {
        landed.add(op);
      }
    }
    return landed;
  }

  /** Each failure is logged as a warning when it first happens, then at debug while it repeats. */
  private void logFailures(List<RouteFailure> failures) {
    Set<String> now = new HashSet<>();
    for (RouteFailure f : failures) {
      String text = f.op() + ": " + f.message();
      now.add(text);
      if (lastFailures.contains(text)) {
        log.debug("Route operation still failing: {}", text);
      } else {
        log.warn("Route operation failed, will retry: {}", text);
      }
    }
    lastFailures = now;
  }

  private void logProblems(Plan plan) {
    Set<String> now = new HashSet<>();
    plan.problems()
        .forEach(
            p -> {
              String text = p.toString();
              now.add(text);
              if (!lastProblems.contains(text)) {
                log.warn("Node {}", text);
              }
            });
    lastProblems = now;
  }
}
