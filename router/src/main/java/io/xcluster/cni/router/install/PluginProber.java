package io.xcluster.cni.router.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Asks a CNI plugin binary for its version. */
@FunctionalInterface
public interface PluginProber {

  /** The plugin's version, or empty when it does not say (or cannot be run). */
  Optional<PluginVersion> version(Path binary);

  /**
   * Runs the plugin with no {@code CNI_COMMAND}: CNI plugins built on skel then print their "about"
   * text ({@code CNI host-local plugin v1.1.1}) and exit. Bounded by a timeout; stdin is closed.
   */
  static PluginProber exec() {
    return binary -> {
      try {
        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CNI_"));
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return Optional.empty();
        }
        String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
        return PluginVersion.find(out);
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    };
  }
}
