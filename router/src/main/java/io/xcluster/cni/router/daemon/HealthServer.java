package io.xcluster.cni.router.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * One port for {@code /metrics} (Prometheus), {@code /healthz} (the process serves) and {@code
 * /readyz} (the first full reconcile is done).
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;

  private HealthServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving.
   *
   * @throws IOException when the address cannot be bound
   */
  public static HealthServer start(
      InetSocketAddress address, PrometheusRegistry registry, BooleanSupplier ready)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService threads =
        Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("http-", 0).factory());
    server.setExecutor(threads);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n"));
    server.createContext(
        "/readyz",
        exchange ->
            answer(
                exchange,
                ready.getAsBoolean() ? 200 : 503,
                ready.getAsBoolean() ? "ok\n" : "waiting for the first full reconcile\n"));
    server.start();
    return new HealthServer(server, threads);
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
