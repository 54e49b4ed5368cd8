package io.xcluster.cni.ipam;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs kube-node as the runtime does: a process with the CNI_* environment and the configuration on
 * stdin. By default {@code java -cp <the packaged jar and its dependencies>}; with the system
 * property {@code kube-node.launcher} (e.g. {@code _output/bin/kube-node}), that launcher.
 */
final class PluginProcess {
  static final Path HOST_LOCAL_DIR = Path.of("/usr/lib/cni");
  private static final long TIMEOUT_SECONDS = 60;
  private static final java.util.concurrent.Executor DRAINS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  /** What one run printed and returned. */
  record Result(int status, String stdout, String stderr) {
    java.util.Map<String, Object> json() {
      try {
        return Json.parseObject(stdout);
      } catch (Json.ParseException e) {
        throw new AssertionError("stdout is not JSON: [" + stdout + "] stderr: " + stderr, e);
      }
    }

    long code() {
      return ((java.math.BigDecimal) json().get("code")).longValue();
    }
  }

  private final List<String> command;

  private PluginProcess(List<String> command) {
    this.command = command;
  }

  /** The plugin from the module's build output, with the full class path. */
  static PluginProcess packaged() {
    String launcher = System.getProperty("kube-node.launcher");
    if (launcher != null && !launcher.isBlank()) {
      return new PluginProcess(List.of(launcher));
    }
    return withClassPath(packagedClassPath());
  }

  /** The plugin on a given class path, e.g. one without client-java. */
  static PluginProcess withClassPath(String classPath, String... jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", classPath, KubeNodeIpamMain.class.getName()));
    return new PluginProcess(cmd);
  }

  /** target/kube-node-ipam-VERSION.jar then target/lib/*.jar, as the package phase left them. */
  static String packagedClassPath() {
    Path target = Path.of("target");
    try (var files = Files.list(target)) {
      Path jar =
          files
              .filter(p -> p.getFileName().toString().matches("kube-node-ipam-.*\\.jar"))
              .filter(p -> !p.getFileName().toString().contains("tests"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no packaged jar: run mvn package"));
      return jar.toAbsolutePath() + File.pathSeparator + target.toAbsolutePath() + "/lib/*";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The class path holding only what the warm path needs: the plugin and annotations jars. */
  static String warmOnlyClassPath() {
    StringBuilder cp = new StringBuilder();
    for (String entry : packagedClassPath().split(File.pathSeparator)) {
      if (entry.endsWith("/lib/*")) {
        Path lib = Path.of(entry.substring(0, entry.length() - 2));
        try (var files = Files.list(lib)) {
          files
              .filter(p -> p.getFileName().toString().startsWith("annotations-0"))
              .forEach(p -> cp.append(File.pathSeparator).append(p.toAbsolutePath()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        cp.append(entry);
      }
    }
    return cp.toString();
  }

  /**
   * Writes an executable {@code kube-node} script into {@code dir} that runs this plugin, for
   * plugins that find their IPAM on CNI_PATH (bridge).
   */
  Path writeLauncher(Path dir) throws IOException {
    Path script = dir.resolve("kube-node");
    StringBuilder sb = new StringBuilder("#! /bin/sh\nexec");
    for (String c : command) {
      sb.append(" '").append(c.replace("'", "'\\''")).append('\'');
    }
    sb.append(" \"$@\"\n");
    Files.writeString(script, sb);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  Result run(Map<String, String> env, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("CNI_") || k.equals("NODE_NAME"));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      CompletableFuture<String> err = drain(p.getErrorStream());
      CompletableFuture<String> out = drain(p.getInputStream());
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The plugin may not read stdin (VERSION); its output tells.
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kube-node did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream s) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        DRAINS);
  }
}
