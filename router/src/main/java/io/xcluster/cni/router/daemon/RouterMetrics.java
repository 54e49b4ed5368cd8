package io.xcluster.cni.router.daemon;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.xcluster.cni.router.reconcile.ReconcileListener;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import java.time.Clock;

/**
 * The router's Prometheus metrics, updated after every reconcile. Modelled on kube-router's {@code
 * host_routes_*}: what the Nodes ask for, what the kernel holds, what was done and how it went.
 */
public final class RouterMetrics implements ReconcileListener {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Clock clock;
  private final Gauge desired;
  private final Gauge installed;
  private final Counter operations;
  private final Counter reconcileErrors;
  private final Histogram duration;
  private final Gauge lastSuccess;
  private final Gauge problems;

  public RouterMetrics(Clock clock) {
    this.clock = clock;
    desired =
        Gauge.builder()
            .name("xcluster_cni_routes_desired")
            .help("Routes the Nodes ask for")
            .register(registry);
    installed =
        Gauge.builder()
            .name("xcluster_cni_routes_installed")
            .help("Routes of our protocol and table in the kernel after the last reconcile")
            .register(registry);
    operations =
        Counter.builder()
            .name("xcluster_cni_route_operations_total")
            .help("Route operations by kind (replace, delete) and result (success, failure)")
            .labelNames("op", "result")
            .register(registry);
    reconcileErrors =
        Counter.builder()
            .name("xcluster_cni_reconcile_errors_total")
            .help("Reconciles that could not run (kernel or host not reachable)")
            .register(registry);
    duration =
        Histogram.builder()
            .name("xcluster_cni_reconcile_duration_seconds")
            .help("Time of one reconcile: list, plan, apply")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
    lastSuccess =
        Gauge.builder()
            .name("xcluster_cni_last_successful_reconcile_timestamp_seconds")
            .help("When a reconcile last applied everything it planned (Unix time)")
            .register(registry);
    problems =
        Gauge.builder()
            .name("xcluster_cni_node_problems")
            .help("Problems with Node input at the last reconcile (see the Node Events)")
            .register(registry);
    for (String op : new String[] {"replace", "delete"}) {
      for (String result : new String[] {"success", "failure"}) {
        operations.labelValues(op, result);
      }
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void reconciled(ReconcileOutcome outcome) {
    desired.set(outcome.plan().desired().size());
    installed.set(outcome.installed());
    problems.set(outcome.plan().problems().size());
    duration.observe(outcome.took().toNanos() / 1e9);
    for (RouteOp op : outcome.done()) {
      operations.labelValues(kind(op), "success").inc();
    }
    for (RouteFailure f : outcome.failures()) {
      operations.labelValues(kind(f.op()), "failure").inc();
    }
    if (outcome.succeeded()) {
      lastSuccess.set(clock.millis() / 1000.0);
    }
  }

  @Override
  public void failed(Exception cause) {
    reconcileErrors.inc();
  }

  private static String kind(RouteOp op) {
    return switch (op) {
      case RouteOp.Replace r -> "replace";
      case RouteOp.Delete d -> "delete";
    };
  }
}
