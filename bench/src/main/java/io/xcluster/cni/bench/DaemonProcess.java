package io.xcluster.cni.bench;

import io.xcluster.cni.testing.FakeNodes;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The built daemon ({@code _output/bin/xcluster-cni daemon ...}) started with {@code ip netns exec}
 * in a namespace, with an empty environment (no NODE_NAME, KUBECONFIG... of the bench's own). Its
 * output (stdout and stderr) is read as it comes: the first line containing each of the markers
 * given is kept, and the last 40 lines for errors. Closing it stops it with SIGTERM, as the kubelet
 * does.
 */
final class DaemonProcess implements AutoCloseable {
  private final Process process;
  private final long startNanos;
  private final long startMillis;
  private final Map<String, CompletableFuture<String>> first = new LinkedHashMap<>();
  private final Deque<String> tail = new ArrayDeque<>();
  private final CompletableFuture<Void> reading;

  private DaemonProcess(List<String> markers, ProcessBuilder pb) throws IOException {
    markers.forEach(m -> first.put(m, new CompletableFuture<>()));
    startMillis = System.currentTimeMillis();
    startNanos = System.nanoTime();
    process = pb.start();
    reading = CompletableFuture.runAsync(this::read, r -> Thread.ofPlatform().start(r));
  }

  /**
   * Starts {@code launcher daemon args...} in {@code ns}.
   *
   * @param markers the log lines to wait for or to look at later ({@link #await}, {@link #first})
   */
  static DaemonProcess start(
      Path launcher, NetworkNamespace ns, List<String> args, List<String> markers)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString(), "daemon"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(ns.command(command.toArray(String[]::new)));
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.redirectErrorStream(true);
    return new DaemonProcess(markers, pb);
  }

  /**
   * A fresh namespace for the daemon of FakeNodes' Node {@code index}: a veth {@code v0} holding
   * that Node's InternalIPs (IPv4 in 172.16.0.0/12, IPv6 in fd00:192:168::/64), so the other Nodes'
   * addresses are on-link and their routes install.
   */
  static NetworkNamespace nodeNamespace(String purpose, int index) {
    NetworkNamespace ns = NetworkNamespace.create(purpose);
    try {
      return ns.addVethPair(
          "v0", "v1", FakeNodes.internalIpv4(index) + "/12", FakeNodes.internalIpv6(index) + "/64");
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /** {@link System#nanoTime()} just before the process was started. */
  long startNanos() {
    return startNanos;
  }

  /** {@link System#currentTimeMillis()} just before the process was started. */
  long startMillis() {
    return startMillis;
  }

  /** Waits for the first line containing {@code marker}; fails with the output's tail. */
  String await(String marker, long timeoutSeconds) {
    try {
      return future(marker).get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("the daemon never said '" + marker + "':\n" + tail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The first line containing {@code marker}, if there was one yet. */
  Optional<String> first(String marker) {
    return Optional.ofNullable(future(marker).getNow(null));
  }

  private CompletableFuture<String> future(String marker) {
    CompletableFuture<String> f = first.get(marker);
    if (f == null) {
      throw new IllegalArgumentException("not a marker given at start: " + marker);
    }
    return f;
  }

  /**
   * The JVM: the launcher {@code exec}s java and {@code ip netns exec} execs the launcher, so it is
   * normally the process started; a descendant named {@code java} otherwise.
   */
  ProcessHandle java() throws IOException {
    ProcessHandle root = process.toHandle();
    for (ProcessHandle h : Stream.concat(Stream.of(root), root.descendants()).toList()) {
      Path comm = Path.of("/proc", Long.toString(h.pid()), "comm");
      if (Files.exists(comm) && Files.readString(comm).strip().equals("java")) {
        return h;
      }
    }
    throw new IllegalStateException("no java process under pid " + root.pid());
  }

  /**
   * How the JVM was started: the options between {@code java} and its class path or main class,
   * with the environment's {@code MALLOC_ARENA_MAX} and {@code JAVA_TOOL_OPTIONS} first when set.
   */
  String jvmFlags() throws IOException {
    Path proc = Path.of("/proc", Long.toString(java().pid()));
    List<String> flags = new ArrayList<>();
    for (String variable : nulSeparated(Files.readAllBytes(proc.resolve("environ")))) {
      if (variable.startsWith("MALLOC_ARENA_MAX=") || variable.startsWith("JAVA_TOOL_OPTIONS=")) {
        flags.add(variable);
      }
    }
    flags.addAll(jvmOptions(nulSeparated(Files.readAllBytes(proc.resolve("cmdline")))));
    return String.join(" ", flags);
  }

  /** The JVM options of a java command line: after argv[0], up to the class path or main class. */
  static List<String> jvmOptions(List<String> argv) {
    List<String> options = new ArrayList<>();
    for (String arg : argv.subList(Math.min(1, argv.size()), argv.size())) {
      if (List.of("-cp", "-classpath", "--class-path", "-jar", "-m", "--module").contains(arg)
          || !arg.startsWith("-")) {
        break;
      }
      options.add(arg);
    }
    return options;
  }

  /** The strings of {@code /proc/PID/cmdline} or {@code environ}. */
  static List<String> nulSeparated(byte[] bytes) {
    List<String> strings = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        strings.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      strings.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
    }
    return strings;
  }

  String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        for (Map.Entry<String, CompletableFuture<String>> e : first.entrySet()) {
          if (!e.getValue().isDone() && line.contains(e.getKey())) {
            e.getValue().complete(line.strip());
          }
        }
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 40) {
            tail.removeFirst();
          }
        }
      }
      fail(new IOException("the daemon's output ended"));
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void fail(Exception e) {
    first.values().forEach(f -> f.completeExceptionally(e));
  }

  /** SIGTERM, as the kubelet stops it; SIGKILL if it does not stop in 15 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    try {
      reading.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // The output is only read for markers; a reader that does not end is no measurement error.
    }
  }
}
