package io.xcluster.cni.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.testing.KernelTest;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole cluster, run on the built programs in {@code _output/} ({@code ./build.sh test} builds
 * them first): once with a nodes file and once with the fake API server. The runner is a child
 * process inside the switch namespace, exactly as {@code ./build.sh e2e} runs it.
 */
@KernelTest
class ClusterE2EIT {
  private static final Path OUTPUT =
      Path.of(System.getProperty("xcluster.output", "../_output")).toAbsolutePath().normalize();

  @BeforeAll
  static void programsAreBuilt() {
    assertThat(OUTPUT.resolve("bin/xcluster-cni"))
        .as("run ./build.sh build first (./build.sh test does)")
        .isExecutable();
  }

  @ParameterizedTest(name = "node source: {0}")
  @ValueSource(strings = {"file", "api"})
  void clusterPassesEveryCheck(String source) throws IOException, InterruptedException {
    try (NetworkNamespace sw = NetworkNamespace.create("sw")) {
      List<String> cmd = new ArrayList<>(sw.command(javaBinary()));
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              E2eMain.class.getName(),
              "--switch",
              sw.name(),
              "--repo",
              OUTPUT.getParent().toString(),
              "--output",
              OUTPUT.toString(),
              "--source",
              source));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean ended = p.waitFor(5, TimeUnit.MINUTES);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      System.out.println(out);
      assertThat(ended).as("e2e ended").isTrue();
      assertThat(out).containsPattern("(?m)^e2e: \\d+ passed, 0 failed$");
      assertThat(p.exitValue()).isZero();
    }
    assertThat(NetworkNamespace.run(List.of("ip", "netns", "list")))
        .as("the e2e left no namespace behind")
        .doesNotContainPattern("xcni-(n|p)\\d");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
