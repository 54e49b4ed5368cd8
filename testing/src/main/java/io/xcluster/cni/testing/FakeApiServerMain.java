package io.xcluster.cni.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fake API server as a process, for scripts (an end-to-end run of the real binaries, a memory
 * benchmark that must measure the router alone):
 *
 * <pre>
 * java -cp testing.jar:jackson-*.jar io.xcluster.cni.testing.FakeApiServerMain \
 *     [--https] [--token T] [--address IP] [--port P] [--kubeconfig FILE]
 *     [--nodes N [--realistic]]
 * </pre>
 *
 * It prints {@code ready URL} on stdout when it serves, then reads commands from stdin, one per
 * line, and answers each with one line ({@code ok ...} or {@code error ...}):
 *
 * <pre>
 * put {"metadata":{"name":"n1"},...}     create or replace a Node (one line of JSON)
 * small NAME INDEX | realistic NAME INDEX   put a generated Node (see FakeNodes)
 * annotate NAME KEY=VALUE... KEY-...     set and remove annotations, as kubectl annotate
 * heartbeat NAME                         a kubelet status update (conditions only)
 * delete NAME                            delete a Node
 * down | up | unavailable | available | end-watches | compact
 * rv | nodes | events | requests         print the resource version, names, events, counts
 * quit                                   (or end of stdin) stop
 * </pre>
 *
 * {@code --address} (default {@code 127.0.0.1}) may be an address of the network namespace the
 * process runs in ({@code ip netns exec}), for programs in other namespaces; the HTTPS certificate
 * names it. With {@code --nodes N}, nodes {@code node-0} to {@code node-(N-1)} exist from the
 * start.
 */
public final class FakeApiServerMain {
  private FakeApiServerMain() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--https", "--realistic" -> options.put(args[i], "true");
        case "--token", "--address", "--port", "--kubeconfig", "--nodes" -> {
          if (i + 1 == args.length) {
            usage("missing value for " + args[i]);
          }
          options.put(args[i], args[++i]);
        }
        default -> usage("unknown argument " + args[i]);
      }
    }
    FakeApiServer.Scheme scheme =
        options.containsKey("--https") ? FakeApiServer.Scheme.HTTPS : FakeApiServer.Scheme.HTTP;
    int port = Integer.parseInt(options.getOrDefault("--port", "0"));
    InetAddress address =
        options.containsKey("--address")
            ? InetAddress.ofLiteral(options.get("--address"))
            : InetAddress.getLoopbackAddress();
    PrintStream out = System.out;
    try (FakeApiServer server =
        FakeApiServer.start(scheme, options.get("--token"), new InetSocketAddress(address, port))) {
      int nodes = Integer.parseInt(options.getOrDefault("--nodes", "0"));
      boolean realistic = options.containsKey("--realistic");
      for (int i = 0; i < nodes; i++) {
        server.putNode(
            realistic ? FakeNodes.realistic("node-" + i, i) : FakeNodes.small("node-" + i, i));
      }
      if (options.containsKey("--kubeconfig")) {
        server.writeKubeconfig(Path.of(options.get("--kubeconfig")));
      }
      out.println("ready " + server.url());
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty()) {
          continue;
        }
        if (line.equals("quit")) {
          break;
        }
        try {
          out.println("ok" + execute(server, line));
        } catch (RuntimeException e) {
          out.println("error " + e.getMessage());
        }
        out.flush();
      }
    }
  }

  private static String execute(FakeApiServer server, String line) {
    String[] words = line.split("\\s+");
    switch (words[0]) {
      case "put" -> {
        server.putNode(line.substring(3).strip());
        return "";
      }
      case "small", "realistic" -> {
        int index = Integer.parseInt(words[2]);
        server.putNode(
            words[0].equals("small")
                ? FakeNodes.small(words[1], index)
                : FakeNodes.realistic(words[1], index));
        return "";
      }
      case "annotate" -> {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        for (int i = 2; i < words.length; i++) {
          int eq = words[i].indexOf('=');
          if (eq > 0) {
            set.put(words[i].substring(0, eq), words[i].substring(eq + 1));
          } else if (words[i].endsWith("-")) {
            remove.add(words[i].substring(0, words[i].length() - 1));
          } else {
            throw new IllegalArgumentException("expected KEY=VALUE or KEY-, not " + words[i]);
          }
        }
        server.patchNodeAnnotations(words[1], set, remove);
        return "";
      }
      case "heartbeat" -> server.heartbeat(words[1]);
      case "delete" -> {
        return server.deleteNode(words[1]) ? "" : " (no such node)";
      }
      case "down", "up" -> server.setDown(words[0].equals("down"));
      case "unavailable", "available" -> server.setUnavailable(words[0].equals("unavailable"));
      case "end-watches" -> server.endWatches();
      case "compact" -> server.compactHistory();
      case "rv" -> {
        return " " + server.resourceVersion();
      }
      case "nodes" -> {
        return " "
            + String.join(
                " ", server.nodes().stream().map(n -> n.at("/metadata/name").asText()).toList());
      }
      case "events" -> {
        return " " + server.events();
      }
      case "requests" -> {
        return " " + server.requests();
      }
      default -> throw new IllegalArgumentException("unknown command " + words[0]);
    }
    return "";
  }

  private static void usage(String problem) {
    System.err.println(
        "error: "
            + problem
            + "\nusage: FakeApiServerMain [--https] [--token T] [--address IP] [--port P]"
            + " [--kubeconfig FILE]"
            + " [--nodes N [--realistic]]");
    System.exit(2);
  }
}
