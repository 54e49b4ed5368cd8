package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code xcluster-cni routes} against routes made with {@code ip} in a fresh namespace. */
@KernelTest
@Timeout(60)
class RoutesCommandIT {
  private NetworkNamespace ns;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void namespace() {
    ns = NetworkNamespace.create("routescmd");
    ns.addVethPair("v0", "v1", "192.168.9.1/24", "fd00:9::1/64");
    ns.ip("route", "add", "10.9.1.0/24", "via", "192.168.9.2", "proto", "202");
    ns.ip("route", "add", "10.9.2.2/32", "via", "192.168.9.3", "proto", "202", "metric", "7");
    ns.ip("-6", "route", "add", "fd00:1::/64", "via", "fd00:9::2", "proto", "202");
    ns.ip("route", "add", "10.9.3.0/24", "via", "192.168.9.4", "proto", "static");
    ns.ip("route", "add", "10.9.4.0/24", "via", "192.168.9.5", "proto", "202", "table", "1000");
    ns.ip("nexthop", "add", "id", "9", "via", "192.168.9.6", "dev", "v0", "proto", "77");
    ns.ip("route", "add", "10.9.5.0/24", "nhid", "9", "proto", "77");
  }

  @AfterEach
  void deleteNamespace() {
    ns.close();
  }

  private int run(String... args) {
    CommandLine cmd = RouterMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 3];
    full[0] = "routes";
    full[1] = "--netns";
    full[2] = ns.path().toString();
    System.arraycopy(args, 0, full, 3, args.length);
    return cmd.execute(full);
  }

  @Test
  void listsProtocol202InMainAsJson() throws Exception {
    assertThat(run("-o", "json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json).hasSize(3);
    assertThat(json.get(0).toString())
        .isEqualTo(
            "{\"dst\":\"10.9.1.0/24\",\"gateway\":\"192.168.9.2\",\"dev\":\"v0\","
                + "\"protocol\":202,\"table\":254}");
    assertThat(json.get(1).toString())
        .isEqualTo(
            "{\"dst\":\"10.9.2.2/32\",\"gateway\":\"192.168.9.3\",\"dev\":\"v0\","
                + "\"protocol\":202,\"table\":254,\"metric\":7}");
    assertThat(json.get(2).get("dst").asText()).isEqualTo("fd00:1::/64");
    assertThat(json.get(2).has("metric")).isFalse();
  }

  @Test
  void otherProtocolAndTable() throws Exception {
    assertThat(run("--protocol", "77", "-o", "json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("nexthopId").asInt()).isEqualTo(9);
    assertThat(json.get(0).get("gateway").asText()).isEqualTo("192.168.9.6");

    out.getBuffer().setLength(0);
    assertThat(run("--table", "1000", "-o", "json")).isZero();
    json = new ObjectMapper().readTree(out.toString());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("table").asLong()).isEqualTo(1000);
  }

  @Test
  void printsATable() {
    assertThat(run()).isZero();
    assertThat(out.toString().lines())
        .hasSize(4)
        .first()
        .asString()
        .startsWith("DST")
        .contains("GATEWAY");
    assertThat(out.toString()).contains("10.9.2.2/32", "192.168.9.3", "v0", "7");
  }

  @Test
  void badInputIsAUsageError() {
    assertThat(run("--protocol", "300")).isEqualTo(2);
    assertThat(err.toString()).contains("--protocol 300 is not in 1..255");
    assertThat(run("--table", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("'nope' is not a table number");
    assertThat(run("-o", "yaml")).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMissingNamespaceIsAClearError() {
    CommandLine cmd = RouterMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("routes", "--netns", "/run/netns/xcni-does-not-exist")).isEqualTo(1);
    assertThat(err.toString())
        .contains("xcluster-cni routes: open /run/netns/xcni-does-not-exist: No such file");
    assertThat(out.toString()).isEmpty();
  }
}
