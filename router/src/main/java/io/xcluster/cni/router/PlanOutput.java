package io.xcluster.cni.router;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.plan.DesiredRoute;
import io.xcluster.cni.router.plan.NodeProblem;
import io.xcluster.cni.router.plan.Plan;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteOp;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How {@code plan} and {@code sync} show routes: one line per route for people, and the JSON of
 * {@code plan -o json}: {@code {"desired":[{"node","dst","gateway"}],
 * "changes":[{"op","dst","gateway"}], "problems":[{"node","message"}]}}.
 */
final class PlanOutput {

  private PlanOutput() {}

  @JsonPropertyOrder({"desired", "changes", "problems"})
  record PlanJson(
      List<DesiredJson> desired, List<ChangeJson> changes, List<ProblemJson> problems) {}

  @JsonPropertyOrder({"node", "dst", "gateway"})
  record DesiredJson(String node, String dst, String gateway) {}

  @JsonPropertyOrder({"op", "dst", "gateway"})
  record ChangeJson(String op, String dst, String gateway) {}

  @JsonPropertyOrder({"node", "message"})
  record ProblemJson(String node, String message) {}

  static String json(Plan plan) {
    PlanJson out =
        new PlanJson(
            plan.desired().stream()
                .map(d -> new DesiredJson(d.node(), dst(d.route()), gateway(d.route())))
                .toList(),
            plan.ops().stream()
                .map(op -> new ChangeJson(op(op), dst(op.route()), gateway(op.route())))
                .toList(),
            plan.problems().stream().map(p -> new ProblemJson(p.node(), p.message())).toList());
    try {
      return new ObjectMapper().writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void text(Plan plan, PrintWriter out) {
    out.println("desired:" + (plan.desired().isEmpty() ? " none" : ""));
    for (DesiredRoute d : plan.desired()) {
      out.println("  " + route(d.route()) + "  (node " + d.node() + ")");
    }
    out.println("changes:" + (plan.ops().isEmpty() ? " none, the kernel is in sync" : ""));
    for (RouteOp op : plan.ops()) {
      out.println("  " + change(op));
    }
    if (!plan.kept().isEmpty()) {
      out.println("kept (their Node's input cannot be read):");
      for (Route r : plan.kept()) {
        out.println("  " + route(r));
      }
    }
    out.println("problems:" + (plan.problems().isEmpty() ? " none" : ""));
    for (NodeProblem p : plan.problems()) {
      out.println("  " + p);
    }
  }

  static String change(RouteOp op) {
    return op(op) + " " + route(op.route());
  }

  static String route(Route r) {
    return dst(r) + " via " + gateway(r) + r.device().map(d -> " dev " + d).orElse("");
  }

  static String op(RouteOp op) {
    return switch (op) {
      case RouteOp.Replace r -> "replace";
      case RouteOp.Delete d -> "delete";
    };
  }

  private static String dst(Route r) {
    return r.dst().toString();
  }

  private static String gateway(Route r) {
    return IpLiteral.format(r.gateway());
  }
}
