package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CidrCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = RouterMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void printsTheNthCidrOfThePool() {
    assertThat(run("cidr", "172.20.0.0/16/24", "5")).isZero();
    assertThat(out).hasToString("172.20.5.0/24" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void ipv6() {
    assertThat(run("cidr", "fd00:5::/48/112", "1")).isZero();
    assertThat(out.toString().strip()).isEqualTo("fd00:5::1:0/112");
  }

  @Test
  void aNumberThatDoesNotFitIsAUsageError() {
    assertThat(run("cidr", "172.20.0.0/16/24", "256")).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .startsWith("n (256) does not fit in the 8 bits between /16 and /24 (largest: 255)");
  }

  @Test
  void aBadPoolIsAUsageError() {
    assertThat(run("cidr", "172.20.0.0/24/16", "1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("bits1 (24) must not be greater than bits2 (16)");
  }

  @Test
  void aMissingNumberIsAUsageError() {
    assertThat(run("cidr", "172.20.0.0/16/24")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'N'");
  }
}
