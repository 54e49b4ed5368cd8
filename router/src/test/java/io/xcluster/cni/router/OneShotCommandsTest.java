package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.route.InMemoryRouteTable;
import io.xcluster.cni.router.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan, sync and nodes through picocli, with captured output and exit codes. */
class OneShotCommandsTest {
  static final String NODES =
      """
      apiVersion: v1
      kind: List
      items:
      - metadata: {name: self, creationTimestamp: "2024-01-01T00:00:00Z"}
        spec: {podCIDRs: [10.0.0.0/24]}
        status: {addresses: [{type: InternalIP, address: 192.168.1.10}]}
      - metadata: {name: a, creationTimestamp: "2024-01-02T00:00:00Z"}
        spec: {podCIDRs: [10.1.0.0/24, "fd00:a::/64"]}
        status:
          addresses:
          - {type: InternalIP, address: 192.168.1.1}
          - {type: InternalIP, address: "fd00:1::1"}
      - metadata: {name: b, creationTimestamp: "2024-01-03T00:00:00Z"}
        spec: {podCIDRs: [10.1.0.0/16]}
        status: {addresses: [{type: InternalIP, address: 192.168.1.2}]}
      """;

  @TempDir Path dir;
  Path nodes;
  InMemoryRouteTable kernel;

  @BeforeEach
  void setUp() throws Exception {
    nodes = Files.writeString(dir.resolve("nodes.yaml"), NODES);
    kernel = new InMemoryRouteTable();
    kernel.add(route("10.9.0.0/24", "192.168.1.9"));
  }

  static Route route(String dst, String gw) {
    return Route.of(Cidr.parse(dst), IpLiteral.parse(gw), Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE);
  }

  String[] args(String command, String... more) {
    String[] base = {
      command, "--node-name", "self", "--nodes-file", nodes.toString(), "--log-level", "error"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void planPrintsExactlyTheJsonShapeAndExitsTwoWhenChangesArePending() throws Exception {
    CommandRun run = new CommandRun(kernel);

    int code = run.execute(args("plan", "-o", "json"));

    assertThat(code).isEqualTo(2);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.toString())
        .isEqualTo(
            "{\"desired\":["
                + "{\"node\":\"a\",\"dst\":\"10.1.0.0/24\",\"gateway\":\"192.168.1.1\"},"
                + "{\"node\":\"a\",\"dst\":\"fd00:a::/64\",\"gateway\":\"fd00:1::1\"}],"
                + "\"changes\":["
                + "{\"op\":\"replace\",\"dst\":\"10.1.0.0/24\",\"gateway\":\"192.168.1.1\"},"
                + "{\"op\":\"replace\",\"dst\":\"fd00:a::/64\",\"gateway\":\"fd00:1::1\"},"
                + "{\"op\":\"delete\",\"dst\":\"10.9.0.0/24\",\"gateway\":\"192.168.1.9\"}],"
                + "\"problems\":[{\"node\":\"b\",\"message\":\"10.1.0.0/16 overlaps 10.1.0.0/24"
                + " of node a, which claimed it first; no route\"}]}");
    assertThat(kernel.applied()).as("plan changes nothing").isEmpty();
  }

  @Test
  void planInTextAndExitZeroWhenInSync() {
    kernel = new InMemoryRouteTable();
    kernel.add(route("10.1.0.0/24", "192.168.1.1")).add(route("fd00:a::/64", "fd00:1::1"));
    CommandRun run = new CommandRun(kernel);

    int code = run.execute(args("plan"));

    assertThat(code).isZero();
    assertThat(run.out())
        .contains("10.1.0.0/24 via 192.168.1.1  (node a)")
        .contains("changes: none, the kernel is in sync")
        .contains("b: 10.1.0.0/16 overlaps");
  }

  @Test
  void syncAppliesAndPrintsWhatChangedThenIsInSync() throws Exception {
    CommandRun run = new CommandRun(kernel);

    assertThat(run.execute(args("sync"))).isZero();

    assertThat(run.out())
        .contains("replace 10.1.0.0/24 via 192.168.1.1")
        .contains("replace fd00:a::/64 via fd00:1::1")
        .contains("delete 10.9.0.0/24 via 192.168.1.9")
        .contains("problem: b: 10.1.0.0/16 overlaps");
    assertThat(kernel.list()).hasSize(2);

    CommandRun again = new CommandRun(kernel);
    assertThat(again.execute(args("sync"))).isZero();
    assertThat(again.out()).contains("in sync: 2 routes").doesNotContain("replace");
  }

  @Test
  void syncExitsOneWhenARouteFailsAndStillInstallsTheOthers() throws Exception {
    kernel.failOn(
        Cidr.parse("10.1.0.0/24"), InMemoryRouteTable.ENETUNREACH, "Network is unreachable");
    CommandRun run = new CommandRun(kernel);

    assertThat(run.execute(args("sync"))).isEqualTo(1);

    assertThat(run.out())
        .contains("failed: replace 10.1.0.0/24 via 192.168.1.1: Network is unreachable")
        .contains("replace fd00:a::/64 via fd00:1::1");
    assertThat(kernel.list()).extracting(r -> r.dst().toString()).containsExactly("fd00:a::/64");
  }

  @Test
  void refusesToRunWithoutTheOwnNodeName() {
    CommandRun run = new CommandRun(kernel);

    int code = run.execute("sync", "--nodes-file", nodes.toString());

    assertThat(code).isEqualTo(2);
    assertThat(run.err()).contains("The own Node's name is required: set --node-name or NODE_NAME");
    assertThat(kernel.applied()).isEmpty();
  }

  @Test
  void rejectsKernelProtocolsAndBadTables() {
    CommandRun run = new CommandRun(kernel);
    assertThat(run.execute(args("plan", "--protocol", "2"))).isEqualTo(2);
    assertThat(run.err()).contains("--protocol 2 is not usable");

    run = new CommandRun(kernel);
    assertThat(run.execute(args("plan", "--table", "mian"))).isEqualTo(2);
    assertThat(run.err()).contains("--table 'mian' is not a routing table");
  }

  @Test
  void aBadNodesFileIsAClearErrorAndChangesNothing() throws Exception {
    Files.writeString(nodes, "items: 7");
    CommandRun run = new CommandRun(kernel);

    assertThat(run.execute(args("sync"))).isEqualTo(1);

    assertThat(run.err()).contains("xcluster-cni sync:").contains("items is not a list");
    assertThat(kernel.applied()).isEmpty();
  }

  @Test
  void nodesShowsWhatTheRouterReads() throws Exception {
    Files.writeString(
        nodes,
        NODES
            + """
            - metadata:
                name: c
                annotations: {cidr.example.com/x: "10.5.0.0/33"}
            """);
    CommandRun run = new CommandRun(kernel);

    assertThat(run.execute(args("nodes", "-o", "json", "--cidr-annotation", "cidr.example.com/x")))
        .isZero();

    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json).hasSize(4);
    assertThat(json.get(2).toString())
        .isEqualTo(
            "{\"name\":\"c\",\"cidrs\":null,\"addresses\":[],\"problems\":"
                + "[\"cidr.example.com/x: \\\"10.5.0.0/33\\\" is not a CIDR: prefix length 33"
                + " exceeds 32\"]}");

    CommandRun text = new CommandRun(kernel);
    assertThat(text.execute(args("nodes"))).isZero();
    assertThat(text.out())
        .contains("a\n  cidrs:     10.1.0.0/24, fd00:a::/64\n  addresses: 192.168.1.1, fd00:1::1");
  }

  @Test
  void everyFlagShowsItsEnvironmentVariable() {
    CommandRun run = new CommandRun(kernel);
    for (String command : new String[] {"daemon", "sync", "plan"}) {
      run.commandLine.getSubcommands().get(command).usage(new java.io.PrintWriter(run.out, true));
    }
    String help = run.out().replaceAll("\\s+", " ");
    for (String env :
        new String[] {
          "NODE_NAME", "CIDR_ANNOTATION", "ADDRESS_ANNOTATION", "PROTOCOL", "TABLE", "METRIC",
          "KUBECONFIG", "NODES_FILE", "NEXTHOPS", "LOG_LEVEL", "LOG_FORMAT", "RESYNC_PERIOD",
          "METRICS_ADDRESS", "ADDRESS_INTERFACE", "LOCK_DIR"
        }) {
      assertThat(help).contains("Env: " + env);
    }
  }
}
