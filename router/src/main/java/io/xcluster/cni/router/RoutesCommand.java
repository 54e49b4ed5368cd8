package io.xcluster.cni.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.route.Route;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni routes}: the kernel routes of one protocol, read over netlink. It shows what
 * the daemon owns, including the protocol that {@code ip route show proto N} leaves out.
 */
@Command(
    name = "routes",
    description = {
      "List the kernel routes of one protocol (the routes xcluster-cni owns).",
      "Example: routes -o json"
    })
final class RoutesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--protocol",
      paramLabel = "N",
      defaultValue = "${env:PROTOCOL:-202}",
      description = "Route protocol number, 1-255 (default: $PROTOCOL or 202).")
  int protocol;

  @Option(
      names = "--table",
      paramLabel = "T",
      defaultValue = "main",
      converter = TableConverter.class,
      description = "Routing table: a number or main, local, default (default: main).")
  int table;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: table).")
  Format output;

  @Option(
      names = "--netns",
      paramLabel = "FILE",
      description = "Read the routes of another network namespace, e.g. /run/netns/NAME.")
  Path netns;

  enum Format {
    table,
    json
  }

  @Override
  public Integer call() throws IOException {
    if (protocol < 1 || protocol > 255) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--protocol " + protocol + " is not in 1..255");
    }
    List<Route> routes;
    try (NetlinkRouteTable kernel =
        netns == null
            ? NetlinkRouteTable.open(protocol, table, false)
            : NetlinkRouteTable.open(protocol, table, false, netns)) {
      routes =
          kernel.list().stream()
              .sorted(Comparator.comparing(Route::dst).thenComparing(r -> r.metric().orElse(0)))
              .toList();
    } catch (IOException e) {
      spec.commandLine().getErr().println("xcluster-cni routes: " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == Format.json) {
      out.println(json(routes));
    } else {
      printTable(out, routes);
    }
    out.flush();
    return 0;
  }

  /**
   * An array of objects with {@code dst}, {@code gateway}, {@code protocol}, {@code table}, and
   * {@code dev}, {@code metric}, {@code nexthopId} where present.
   */
  static String json(List<Route> routes) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ArrayNode array = mapper.createArrayNode();
    for (Route r : routes) {
      ObjectNode o = array.addObject();
      o.put("dst", r.dst().toString());
      o.put("gateway", IpLiteral.format(r.gateway()));
      r.device().ifPresent(d -> o.put("dev", d));
      o.put("protocol", r.protocol());
      o.put("table", Integer.toUnsignedLong(r.table()));
      r.metric().ifPresent(m -> o.put("metric", Integer.toUnsignedLong(m)));
      r.nexthopId().ifPresent(id -> o.put("nexthopId", Integer.toUnsignedLong(id)));
    }
    return mapper.writeValueAsString(array);
  }

  private void printTable(PrintWriter out, List<Route> routes) {
    String format = "%-20s %-28s %-12s %-8s %-8s%n";
    out.printf(format, "DST", "GATEWAY", "DEV", "METRIC", "NHID");
    for (Route r : routes) {
      out.printf(
          format,
          r.dst(),
          IpLiteral.format(r.gateway()),
          r.device().orElse("-"),
          r.metric().isPresent() ? Integer.toUnsignedString(r.metric().getAsInt()) : "-",
          r.nexthopId().isPresent() ? Integer.toUnsignedString(r.nexthopId().getAsInt()) : "-");
    }
  }

  /** A table number (1 to 2^32-1) or one of the names iproute2 knows by default. */
  static final class TableConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      switch (value) {
        case "main":
          return Route.MAIN_TABLE;
        case "local":
          return 255;
        case "default":
          return 253;
        default:
          break;
      }
      long id;
      try {
        id = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a table number or main, local, default");
      }
      if (id < 1 || id > 0xffff_ffffL) {
        throw new CommandLine.TypeConversionException(
            "table " + value + " is not in 1..4294967295");
      }
      return (int) id;
    }
  }
}
