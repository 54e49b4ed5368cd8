package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.router.route.InMemoryRouteTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a process: SIGTERM stops it cleanly and it removes no route on the way out. */
@Timeout(60)
class DaemonSignalIT {
  @TempDir Path dir;

  /** Runs the daemon command with an in-memory kernel; args: nodes file, lock dir. */
  public static void main(String[] args) {
    InMemoryRouteTable kernel = new InMemoryRouteTable();
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      // Runs alongside the daemon's own hook; give that one time to finish.
                      try {
                        Thread.sleep(1500);
                        System.out.println("routes at exit: " + kernel.list().size());
                        System.out.flush();
                      } catch (Exception e) {
                        System.out.println("routes at exit: " + e);
                      }
                    }));
    CommandRun run = new CommandRun(kernel);
    run.commandLine.setOut(new java.io.PrintWriter(System.out, true));
    run.commandLine.setErr(new java.io.PrintWriter(System.err, true));
    run.execute(
        "daemon",
        "--node-name=self",
        "--nodes-file=" + args[0],
        "--lock-dir=" + args[1],
        "--metrics-address=",
        "--log-level=info");
  }

  @Test
  void sigtermStopsTheDaemonAndKeepsTheRoutes() throws Exception {
    Path nodes = Files.writeString(dir.resolve("nodes.yaml"), DaemonCommandTest.nodes("a", "b"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process daemon =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                DaemonSignalIT.class.getName(),
                nodes.toString(),
                dir.resolve("lock").toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.contains("First full reconcile done")) {
          // SIGTERM, as the kubelet sends it (Process.destroy would also close our pipes).
          new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).start().waitFor();
        }
      }
    } finally {
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String output = String.join("\n", lines);
    assertThat(output)
        .contains("First full reconcile done: 2 routes desired")
        .contains("Stopping")
        .contains("Stopped; routes are left in place")
        .contains("routes at exit: 2");
    assertThat(daemon.exitValue()).as("ended by SIGTERM").isEqualTo(143);
  }
}
