package io.xcluster.cni.router.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ReconcileLoopTest {
  static final Request KEY = new Request("routes");

  @Test
  void triggersWhileAReconcileRunsBecomeOneMoreReconcile() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ReconcileLoop loop =
        new ReconcileLoop(
            request -> {
              if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                await(release);
              }
              return new Result(false);
            },
            KEY,
            Duration.ofMillis(10),
            Duration.ofSeconds(1))) {
      loop.start();
      assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 100; i++) {
        loop.trigger();
      }
      release.countDown();
      waitUntil(() -> runs.get() >= 2);
      Thread.sleep(200);
      assertThat(runs.get()).isEqualTo(2);
    }
  }

  @Test
  void aFailedReconcileIsRetriedAndAThrowingOneDoesNotStopTheLoop() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (ReconcileLoop loop =
        new ReconcileLoop(
            request -> {
              int n = runs.incrementAndGet();
              if (n == 1) {
                throw new IllegalStateException("boom");
              }
              return n < 4 ? new Result(true) : new Result(false);
            },
            KEY,
            Duration.ofMillis(5),
            Duration.ofMillis(50))) {
      loop.start();
      waitUntil(() -> runs.get() >= 4);
      Thread.sleep(200);
      assertThat(runs.get()).isEqualTo(4);
    }
  }

  @Test
  void aRequeueAfterComesBackLater() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (ReconcileLoop loop =
        new ReconcileLoop(
            request ->
                runs.incrementAndGet() < 3
                    ? new Result(true, Duration.ofMillis(20))
                    : new Result(false),
            KEY,
            Duration.ofMillis(5),
            Duration.ofMillis(50))) {
      loop.start();
      waitUntil(() -> runs.get() >= 3);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
