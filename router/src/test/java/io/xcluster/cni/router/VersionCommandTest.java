package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionCommandTest {

  @Test
  void printsTheBuildVersion() {
    StringWriter out = new StringWriter();
    CommandLine cmd = RouterMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    assertThat(cmd.execute("version")).isZero();
    // Maven filters the project version into the jar's resources.
    assertThat(out.toString().strip()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void versionOptionNamesTheProgram() {
    StringWriter out = new StringWriter();
    CommandLine cmd = RouterMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    assertThat(cmd.execute("--version")).isZero();
    assertThat(out.toString().strip()).startsWith("xcluster-cni ");
  }

  @Test
  void noSubcommandPrintsUsage() {
    StringWriter out = new StringWriter();
    CommandLine cmd = RouterMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    assertThat(cmd.execute()).isZero();
    assertThat(out.toString()).contains("Usage: xcluster-cni").contains("cidr").contains("version");
  }
}
