package io.xcluster.cni.router.reconcile;

import io.kubernetes.client.extended.controller.reconciler.Reconciler;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.extended.workqueue.ratelimiter.ItemExponentialFailureRateLimiter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread over client-java's rate-limited work queue, the way {@code DefaultController}
 * runs a {@link Reconciler}: the queue holds each key once, so events that arrive while a reconcile
 * runs become one more reconcile, not many; a failed reconcile is retried with exponential backoff;
 * the loop survives anything the reconciler throws.
 *
 * <p>It differs from {@code DefaultController} in two ways the router needs: it never gives up
 * waiting for the Node list (the reconciler itself waits, so an API server that is down at start
 * only delays the first reconcile), and it needs no metrics library besides the router's own.
 */
public final class ReconcileLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);

  private final Reconciler reconciler;
  private final Request key;
  private final ExecutorService queueThread;
  private final RateLimitingQueue<Request> queue;
  private final Thread worker;

  /**
   * @param firstRetry the delay before the first retry of a failed reconcile
   * @param maxRetry the longest delay between retries
   */
  public ReconcileLoop(Reconciler reconciler, Request key, Duration firstRetry, Duration maxRetry) {
    this.reconciler = reconciler;
    this.key = key;
    this.queueThread =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("reconcile-delay").factory());
    this.queue =
        new DefaultRateLimitingQueue<>(
            queueThread, new ItemExponentialFailureRateLimiter<>(firstRetry, maxRetry));
    this.worker = Thread.ofPlatform().daemon().name("reconcile").unstarted(this::work);
  }

  /** Starts the worker and queues the first reconcile. */
  public void start() {
    worker.start();
    trigger();
  }

  /** Asks for a reconcile as soon as possible; any number of calls while one is pending is one. */
  public void trigger() {
    queue.add(key);
  }

  private void work() {
    while (!queue.isShuttingDown()) {
      Request request;
      try {
        request = queue.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (request == null) {
        return;
      }
      Result result;
      try {
        result = reconciler.reconcile(request);
      } catch (Throwable t) {
        log.error("Reconciler failed unexpectedly; will retry", t);
        result = new Result(true);
      }
      try {
        if (!result.isRequeue()) {
          queue.forget(request);
        } else if (result.getRequeueAfter() == null) {
          queue.addRateLimited(request);
        } else {
          queue.forget(request);
          queue.addAfter(request, result.getRequeueAfter());
        }
      } finally {
        queue.done(request);
      }
    }
  }

  /** Stops after the reconcile in progress, if any. Routes stay as they are. */
  @Override
  public void close() {
    queue.shutDown();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(5));
      if (worker.isAlive()) {
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      queueThread.shutdownNow();
    }
  }
}
