package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xcluster-cni annotate} against the fake API server, through a kubeconfig. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnnotateCommandTest {
  private static final String KEY = "cidr.example.com/net3";

  @TempDir Path dir;
  private FakeApiServer server;
  private Path kubeconfig;

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() {
    server = FakeApiServer.start(FakeApiServer.Scheme.HTTP, "t0ken");
    kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void annotatesNodesThatLackItAndIsIdempotent() {
    server.putNode(FakeNodes.small("worker-b", 2));
    server.putNode(FakeNodes.small("worker-a", 1, Map.of(KEY, "172.20.0.0/24,fd00:5::/112")));
    server.putNode(FakeNodes.small("worker-c", 3, Map.of(KEY, "172.20.1.0/24,oops")));
    server.putNode(FakeNodes.small("worker-d", 4));

    Run first =
        annotate(
            "--pool",
            "fd00:5::/64",
            "--prefix-length",
            "112",
            "--pool",
            "172.20.0.0/16",
            "--prefix-length",
            "24");

    assertThat(first.exitCode()).isZero();
    assertThat(first.out())
        .isEqualTo(
            """
            annotated worker-b cidr.example.com/net3=fd00:5::1:0/112,172.20.2.0/24
            annotated worker-d cidr.example.com/net3=fd00:5::2:0/112,172.20.3.0/24
            annotated 2 nodes; 2 nodes have cidr.example.com/net3 already
            """);
    assertThat(first.err()).startsWith("warning: node worker-c: ").contains("\"oops\"");
    assertThat(annotation("worker-b")).isEqualTo("fd00:5::1:0/112,172.20.2.0/24");
    assertThat(annotation("worker-d")).isEqualTo("fd00:5::2:0/112,172.20.3.0/24");
    assertThat(annotation("worker-a")).isEqualTo("172.20.0.0/24,fd00:5::/112");
    assertThat(annotation("worker-c")).isEqualTo("172.20.1.0/24,oops");
    assertThat(server.requestCount("patch", "/api/v1/nodes/worker-b")).isEqualTo(1);

    long version = server.resourceVersion();
    server.resetRequests();
    Run second =
        annotate(
            "--pool",
            "fd00:5::/64",
            "--prefix-length",
            "112",
            "--pool",
            "172.20.0.0/16",
            "--prefix-length",
            "24");

    assertThat(second.exitCode()).isZero();
    assertThat(second.out())
        .isEqualTo("annotated 0 nodes; 4 nodes have cidr.example.com/net3 already\n");
    assertThat(server.resourceVersion()).isEqualTo(version);
    assertThat(server.requests()).containsOnlyKeys("list /api/v1/nodes");
  }

  @Test
  void dryRunPrintsAndChangesNothing() {
    server.putNode(FakeNodes.small("n1", 1));
    server.putNode(FakeNodes.small("n2", 2, Map.of(KEY, "10.7.0.0/24")));
    long version = server.resourceVersion();

    Run run = annotate("--pool", "10.7.0.0/16", "--prefix-length", "24", "--dry-run");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            would annotate n1 cidr.example.com/net3=10.7.1.0/24
            would annotate 1 node; 1 node has cidr.example.com/net3 already
            """);
    assertThat(server.resourceVersion()).isEqualTo(version);
    assertThat(server.requests()).containsOnlyKeys("list /api/v1/nodes");
  }

  @Test
  void aNodeBeingDeletedGetsNothing() {
    String leaving =
        FakeNodes.small("leaving", 1)
            .replace(
                "\"name\":\"leaving\"",
                "\"name\":\"leaving\",\"deletionTimestamp\":\"2025-01-01T00:00:00Z\"");
    server.putNode(leaving);
    server.putNode(FakeNodes.small("staying", 2));

    Run run = annotate("--pool", "10.7.0.0/16", "--prefix-length", "24");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEqualTo("note: node leaving is being deleted; skipped\n");
    assertThat(annotation("leaving")).isNull();
    assertThat(annotation("staying")).isEqualTo("10.7.0.0/24");
  }

  @Test
  void anExhaustedPoolChangesNothing() {
    server.putNode(FakeNodes.small("n1", 1));
    server.putNode(FakeNodes.small("n2", 2));
    server.putNode(FakeNodes.small("n3", 3));

    Run run = annotate("--pool", "10.7.0.0/23", "--prefix-length", "24");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "error: pool 10.7.0.0/23 has 2 free /24s but 3 nodes need one; nothing was changed"
                + " (add a pool or use a longer prefix length)\n");
    assertThat(run.out()).isEmpty();
    assertThat(server.requests()).containsOnlyKeys("list /api/v1/nodes");
  }

  @Test
  void aNodeAnnotatedMeanwhileIsNotOverwritten() {
    server.putNode(FakeNodes.small("n1", 1));
    // Someone else annotates n1 between this command's list and its patch.
    server.beforeEachRequest(
        (verb, path) -> {
          if (verb.equals("patch")) {
            server.beforeEachRequest(null);
            server.patchNodeAnnotations("n1", Map.of(KEY, "10.7.9.0/24"), List.of());
          }
        });

    Run run = annotate("--pool", "10.7.0.0/16", "--prefix-length", "24");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "error: node n1: annotated by someone else meanwhile"
                + " (cidr.example.com/net3=10.7.9.0/24); nothing written, run annotate again\n");
    assertThat(annotation("n1")).isEqualTo("10.7.9.0/24");
    assertThat(server.requestCount("get", "/api/v1/nodes/n1")).isEqualTo(1);
  }

  @Test
  void aNodeChangedOtherwiseMeanwhileIsStillAnnotated() {
    server.putNode(FakeNodes.small("n1", 1));
    // A heartbeat-like change between list and patch: the first patch gets 409, the retry wins.
    server.beforeEachRequest(
        (verb, path) -> {
          if (verb.equals("patch")) {
            server.beforeEachRequest(null);
            server.patchNodeAnnotations("n1", Map.of("other", "x"), List.of());
          }
        });

    Run run = annotate("--pool", "10.7.0.0/16", "--prefix-length", "24");

    assertThat(run.exitCode()).isZero();
    assertThat(server.nodeAnnotations("n1").orElseThrow())
        .containsEntry(KEY, "10.7.0.0/24")
        .containsEntry("other", "x");
    assertThat(server.requestCount("patch", "/api/v1/nodes/n1")).isEqualTo(2);
  }

  @Test
  void refusesBadOptions() {
    assertUsage(
        annotate("--pool", "10.0.0.0/16", "--prefix-length", "24", "--pool", "fd00::/64"),
        "every --pool needs its --prefix-length: got 2 pools and 1 prefix length");
    assertUsage(
        annotate("--pool", "10.0.0.0/16", "--prefix-length", "8"),
        "--prefix-length 8: prefix length 8 does not fit pool 10.0.0.0/16");
    assertUsage(
        annotate("--pool", "10.0.0.1/16", "--prefix-length", "24"),
        "--pool 10.0.0.1/16 is not a CIDR: host bits are set");
    assertUsage(
        annotate(
            "--pool",
            "10.0.0.0/8",
            "--prefix-length",
            "24",
            "--pool",
            "10.1.0.0/16",
            "--prefix-length",
            "24"),
        "pools 10.0.0.0/8 and 10.1.0.0/16 overlap");
    assertUsage(
        run("annotate", "--annotation", "-bad-", "--pool", "10.0.0.0/8", "--prefix-length", "24"),
        "\"-bad-\" is not a valid annotation name");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aRejectedTokenIsAClearError() {
    Path wrong = server.writeKubeconfig(dir.resolve("wrong"), "nope");

    Run run =
        run(
            "annotate",
            "--annotation",
            KEY,
            "--pool",
            "10.0.0.0/8",
            "--prefix-length",
            "24",
            "--kubeconfig",
            wrong.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("error: cannot list nodes: HTTP 401: Unauthorized\n");
  }

  @Test
  void helpShowsTheEnvironmentAndExitCodes() {
    Run run = run("annotate", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--annotation=NAME", "env CIDR_ANNOTATION", "env KUBECONFIG", "Exit codes:");
  }

  private void assertUsage(Run run, String message) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(message).contains("Usage: xcluster-cni annotate");
  }

  private Run annotate(String... args) {
    List<String> all = new ArrayList<>(List.of("annotate", "--annotation", KEY));
    all.addAll(List.of(args));
    all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    return run(all.toArray(String[]::new));
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = RouterMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String annotation(String node) {
    return server.nodeAnnotations(node).orElseThrow().get(KEY);
  }
}
