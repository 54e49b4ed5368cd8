package io.xcluster.cni.bench;

import io.xcluster.cni.testing.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ip -n NS monitor route}, started once: the kernel's route notifications
 * (RTNLGRP_IPV4_ROUTE and IPV6), one line each, time-stamped with {@link System#nanoTime()} by a
 * thread of this JVM as soon as it reads them ({@code ip} flushes every line).
 */
final class RouteMonitor implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  /** One line of {@code ip monitor} and when this JVM read it. */
  private record Event(long nanos, String line) {}

  private RouteMonitor(Process process) {
    this.process = process;
    this.reader = Thread.ofPlatform().daemon().name("route-monitor").start(this::read);
  }

  /**
   * Starts it, and returns once it reports: a route of protocol 203 added with {@code ip} (and
   * deleted again) shows that the monitor listens.
   */
  static RouteMonitor start(NetworkNamespace ns, String probeDestination, String probeGateway)
      throws IOException {
    Process p =
        new ProcessBuilder("ip", "-n", ns.name(), "monitor", "route")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    RouteMonitor monitor = new RouteMonitor(p);
    try {
      for (int tries = 0; ; tries++) {
        ns.ip("route", "replace", probeDestination, "via", probeGateway, "proto", "203");
        if (monitor.awaitAdded(probeDestination, Duration.ofMillis(500)) > 0) {
          break;
        }
        if (tries == 20) {
          throw new IOException("ip monitor route reports nothing");
        }
      }
      ns.ip("route", "del", probeDestination, "proto", "203");
      return monitor;
    } catch (IOException | RuntimeException e) {
      monitor.close();
      throw e;
    }
  }

  /**
   * Waits for a line that adds or replaces a route to {@code destination}; skips all others.
   *
   * @return when it was read ({@link System#nanoTime()}), or -1 after {@code timeout}
   */
  long awaitAdded(String destination, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) {
          return -1;
        }
        if (adds(e.line(), destination)) {
          return e.nanos();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Whether a line of {@code ip monitor route} adds (or replaces) a route to {@code destination}.
   */
  static boolean adds(String line, String destination) {
    return line.startsWith(destination + " ");
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        events.add(new Event(System.nanoTime(), line));
      }
    } catch (IOException e) {
      // Closed: the process was stopped.
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
