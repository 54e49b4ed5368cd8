package io.xcluster.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fake API server as a separate process, driven through stdin as a script would. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeApiServerMainTest {
  @TempDir Path dir;

  @Test
  void servesAndObeysCommands() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            FakeApiServerMain.class.getName(),
            "--token",
            "t",
            "--nodes",
            "2",
            "--kubeconfig",
            kubeconfig.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String ready = out.readLine();
      assertThat(ready).startsWith("ready http://127.0.0.1:");
      URI url = URI.create(ready.substring("ready ".length()));
      assertThat(Files.readString(kubeconfig)).contains("server: " + url, "token: \"t\"");

      in.println("annotate node-1 example.com/a=1");
      assertThat(out.readLine()).isEqualTo("ok");
      in.println("delete node-0");
      assertThat(out.readLine()).isEqualTo("ok");
      in.println("bogus");
      assertThat(out.readLine()).isEqualTo("error unknown command bogus");

      HttpResponse<String> node =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(url.resolve("/api/v1/nodes/node-1"))
                      .header("Authorization", "Bearer t")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(node.body()).contains("\"example.com/a\":\"1\"");
      in.println("nodes");
      assertThat(out.readLine()).isEqualTo("ok node-1");
      in.println("quit");
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
    }
  }
}
