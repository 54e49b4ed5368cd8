package io.xcluster.cni.router;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.models.V1Node;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.plan.NodeReading;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni nodes}: what the router reads from each Node (CIDRs, addresses, problems),
 * with the same annotation options as the daemon.
 */
@Command(
    name = "nodes",
    description = "Show what the router reads from each Node: CIDRs, addresses and problems.")
final class NodesCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RouteOptions route;
  @Mixin LogOptions logging;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json. Default: ${DEFAULT-VALUE}")
  OutputFormat output;

  @JsonPropertyOrder({"name", "cidrs", "addresses", "problems"})
  record NodeJson(String name, List<String> cidrs, List<String> addresses, List<String> problems) {}

  @Override
  public Integer call() throws Exception {
    logging.apply();
    NodeProjection projection = route.projection();
    List<V1Node> nodes = route.readNodes(projection).lister().list();
    List<NodeJson> rows =
        nodes.stream()
            .map(projection::read)
            .sorted(Comparator.comparing(NodeReading::name))
            .map(NodesCommand::row)
            .toList();
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      out.println(new ObjectMapper().writeValueAsString(rows));
    } else {
      for (NodeJson n : rows) {
        out.println(n.name());
        out.println(
            "  cidrs:     "
                + (n.cidrs() == null ? "(cannot be read)" : String.join(", ", n.cidrs())));
        out.println(
            "  addresses: "
                + (n.addresses() == null ? "(cannot be read)" : String.join(", ", n.addresses())));
        for (String p : n.problems()) {
          out.println("  problem:   " + p);
        }
      }
    }
    out.flush();
    return 0;
  }

  private static NodeJson row(NodeReading r) {
    return new NodeJson(
        r.name(),
        r.cidrs().map(cs -> cs.stream().map(Object::toString).toList()).orElse(null),
        r.addresses().map(as -> as.stream().map(IpLiteral::format).toList()).orElse(null),
        r.problems());
  }
}
