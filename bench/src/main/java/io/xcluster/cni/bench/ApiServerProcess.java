package io.xcluster.cni.bench;

import io.xcluster.cni.testing.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code FakeApiServerMain} as a process in a network namespace of its own, serving HTTPS with a
 * bearer token on {@value #API_ADDRESS}:6443, driven through its stdin command protocol (see its
 * Javadoc). A daemon in another namespace reaches it over a veth made by {@link #link}, since it
 * cannot reach the host's 127.0.0.1.
 */
final class ApiServerProcess implements AutoCloseable {
  static final String API_ADDRESS = "192.168.77.1";
  private static final String RUN_ADDRESS = "192.168.77.2";
  private static final String TOKEN = "bench-token";

  private final NetworkNamespace ns;
  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;
  private final Path kubeconfig;
  private int links;

  private ApiServerProcess(
      NetworkNamespace ns, Process process, PrintWriter in, BufferedReader out, Path kubeconfig) {
    this.ns = ns;
    this.process = process;
    this.in = in;
    this.out = out;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts it and waits until it serves.
   *
   * @param tmp where its kubeconfig (CA and token) is written
   * @param purpose part of its namespace's name
   * @param options more {@code FakeApiServerMain} options, e.g. {@code --nodes 1000 --realistic}
   */
  static ApiServerProcess start(Path tmp, String purpose, String... options) throws IOException {
    NetworkNamespace ns = NetworkNamespace.create(purpose);
    Process p = null;
    try {
      ns.ip("addr", "add", API_ADDRESS + "/32", "dev", "lo");
      Path kubeconfig = tmp.resolve(purpose + "-kubeconfig");
      String java = ProcessHandle.current().info().command().orElseThrow();
      List<String> command =
          new ArrayList<>(
              List.of(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.xcluster.cni.testing.FakeApiServerMain",
                  "--https",
                  "--token",
                  TOKEN,
                  "--address",
                  API_ADDRESS,
                  "--port",
                  "6443",
                  "--kubeconfig",
                  kubeconfig.toString()));
      command.addAll(Arrays.asList(options));
      p =
          new ProcessBuilder(ns.command(command.toArray(String[]::new)))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      PrintWriter in = new PrintWriter(p.getOutputStream(), false, StandardCharsets.UTF_8);
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      if (ready == null || !ready.startsWith("ready ")) {
        throw new IOException("FakeApiServerMain: " + ready);
      }
      return new ApiServerProcess(ns, p, in, out, kubeconfig);
    } catch (IOException | RuntimeException e) {
      if (p != null) {
        p.destroyForcibly();
      }
      ns.close();
      throw e;
    }
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** One command, e.g. {@code annotate node-3 k=v}; returns its {@code ok} answer. */
  String command(String line) throws IOException {
    in.println(line);
    in.flush();
    return answer(line);
  }

  /** Many commands, written while the answers are read (no deadlock on full pipes). */
  void commands(List<String> lines) throws IOException {
    CompletableFuture<Void> writing =
        CompletableFuture.runAsync(
            () -> {
              lines.forEach(in::println);
              in.flush();
            },
            r -> Thread.ofPlatform().start(r));
    for (String line : lines) {
      answer(line);
    }
    writing.join();
  }

  private String answer(String line) throws IOException {
    String answer = out.readLine();
    if (answer == null || !answer.startsWith("ok")) {
      String start = line.length() > 60 ? line.substring(0, 60) + "…" : line;
      throw new IOException("FakeApiServerMain " + start + ": " + answer);
    }
    return answer;
  }

  /**
   * A veth from {@code run} to this namespace, so the API server is reachable from there; {@code
   * run} gets 192.168.77.2/32 on a link {@code a0}.
   */
  void link(NetworkNamespace run) {
    String name = "a" + links++;
    run.ip("link", "add", "a0", "type", "veth", "peer", "name", name, "netns", ns.name());
    run.ip("addr", "add", RUN_ADDRESS + "/32", "dev", "a0");
    run.ip("link", "set", "a0", "up");
    run.ip("route", "add", API_ADDRESS + "/32", "dev", "a0");
    ns.ip("link", "set", name, "up");
    ns.ip("route", "replace", RUN_ADDRESS + "/32", "dev", name);
  }

  @Override
  public void close() {
    try {
      in.println("quit");
      in.flush();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      ns.close();
    }
  }
}
