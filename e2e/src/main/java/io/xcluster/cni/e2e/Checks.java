package io.xcluster.cni.e2e;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Named checks that keep going after a failure, and the closing line {@code e2e: N passed, N
 * failed}. A check is a piece of code that throws (an AssertionError or any exception) to fail.
 */
public final class Checks {
  private final PrintStream out;
  private final List<String> failed = new ArrayList<>();
  private int passed;

  public Checks(PrintStream out) {
    this.out = out;
  }

  /** A check body that may throw. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /** Runs one named check, recording and printing its outcome. */
  public boolean check(String name, Body body) {
    long start = System.nanoTime();
    try {
      body.run();
      passed++;
      out.printf("PASS  %s (%d ms)%n", name, (System.nanoTime() - start) / 1_000_000);
      return true;
    } catch (Exception | AssertionError e) {
      failed.add(name);
      out.printf("FAIL  %s: %s%n", name, e.getMessage());
      return false;
    }
  }

  /** Throws an AssertionError with {@code message} unless {@code condition}. */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /**
   * Polls {@code condition} until it holds or {@code limit} passes; returns how long it took.
   * Convergence is checked with a generous limit; the time it took is reported, and measured for
   * real by the benchmarks, never asserted here.
   */
  public static Duration await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + limit.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public int passed() {
    return passed;
  }

  public List<String> failed() {
    return List.copyOf(failed);
  }

  /** The closing line. */
  public String summary() {
    return "e2e: " + passed + " passed, " + failed.size() + " failed";
  }
}
