package io.xcluster.cni.router.daemon;

import io.xcluster.cni.router.plan.NodeProblem;
import io.xcluster.cni.router.reconcile.ReconcileListener;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each Node problem as one Warning Event when it appears. A problem that stays is not posted
 * again at every reconcile; one that goes away and comes back is, and so is one whose Event could
 * not be posted (the API server was down). Posting happens on its own thread, so a slow or
 * unreachable API server never delays a route; when too many Events wait, the newest are dropped
 * (they are in the log and the metrics too).
 */
public final class NodeProblemEvents implements ReconcileListener, AutoCloseable {
  static final String REASON = "RouteProblem";
  private static final int MAX_PENDING = 1000;
  private static final Logger log = LoggerFactory.getLogger(NodeProblemEvents.class);

  private final NodeEventSink sink;
  private final ThreadPoolExecutor poster =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(MAX_PENDING),
          Thread.ofPlatform().daemon().name("node-events").factory());
  private final Set<NodeProblem> posted = new HashSet<>();
  private volatile boolean failing;

  public NodeProblemEvents(NodeEventSink sink) {
    this.sink = sink;
  }

  @Override
  public synchronized void reconciled(ReconcileOutcome outcome) {
    Set<NodeProblem> now = new LinkedHashSet<>(outcome.plan().problems());
    posted.retainAll(now);
    for (NodeProblem problem : now) {
      if (posted.add(problem)) {
        post(problem);
      }
    }
  }

  /** A problem whose Event could not be posted is posted again at the next reconcile. */
  private synchronized void unpost(NodeProblem problem) {
    posted.remove(problem);
  }

  private void post(NodeProblem problem) {
    try {
      poster.execute(
          () -> {
            try {
              sink.warn(problem.node(), REASON, problem.message());
              if (failing) {
                log.info("Posting Node Events works again");
              }
              failing = false;
            } catch (IOException | RuntimeException e) {
              if (!failing) {
                log.warn("Cannot post Node Events, will retry: {}", e.getMessage());
              }
              failing = true;
              unpost(problem);
            }
          });
    } catch (RejectedExecutionException e) {
      log.debug("Event queue full; not posting: {}", problem);
      posted.remove(problem);
    }
  }

  /** Waits a little for Events in flight, then stops. */
  @Override
  public void close() {
    poster.shutdown();
    try {
      poster.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      poster.shutdownNow();
    }
  }
}
