package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container runtime sees while the installer upgrades: the plugins are exec'd over and over
 * while new versions are installed and forced over them. Every exec must run a complete plugin of
 * some version: never "text file busy", never a missing or half-written file. Overlaps are a matter
 * of timing, so each replacement is also checked to be a new inode (a rename, never a write into
 * the running file); {@code AtomicFilesTest} proves the same without timing.
 */
class UpgradeWhileRunningIT {
  @TempDir Path tmp;

  private static String run(Path program) throws Exception {
    Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timeout";
    }
    return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void pluginsRunWholeWhileTheyAreUpgraded() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
    PluginInstaller installer = new PluginInstaller(bin, PluginProber.exec());
    installer.installBundle(
        InstallFixtures.bundle(tmp, "v0"),
        "kube-node",
        Path.of("bin/kube-node"),
        PluginVersion.parse("0.1.0"),
        false);
    Path image = Files.createDirectories(tmp.resolve("image"));
    // A plugin big enough that a copy in place would be seen half-written.
    String padding = ("#" + "x".repeat(1023) + "\n").repeat(2048);
    InstallFixtures.executable(
        image.resolve("host-local"), "#!/bin/sh\n" + padding + "echo host-local v0\n");
    installer.installBinary(image.resolve("host-local"), "host-local", true);

    AtomicBoolean upgrading = new AtomicBoolean(true);
    List<CompletableFuture<List<String>>> runners = new ArrayList<>();
    for (Path program : List.of(bin.resolve("kube-node"), bin.resolve("host-local"))) {
      runners.add(
          CompletableFuture.supplyAsync(
              () -> {
                List<String> outputs = new ArrayList<>();
                try {
                  // Bounded: at most 2000 runs, and it stops when the upgrades do.
                  for (int i = 0; i < 2000 && (upgrading.get() || i < 20); i++) {
                    outputs.add(run(program));
                  }
                } catch (Exception e) {
                  outputs.add(e.toString());
                }
                return outputs;
              }));
    }
    try {
      for (int v = 1; v <= 40; v++) {
        if (v % 4 == 0 || v == 40) {
          installer.installBundle(
              InstallFixtures.bundle(tmp, "v" + v),
              "kube-node",
              Path.of("bin/kube-node"),
              PluginVersion.parse("0.1." + v),
              false);
        }
        InstallFixtures.executable(
            image.resolve("host-local"), "#!/bin/sh\n" + padding + "echo host-local v" + v + "\n");
        Object before = Files.getAttribute(bin.resolve("host-local"), "unix:ino");
        installer.installBinary(image.resolve("host-local"), "host-local", true);
        assertThat(Files.getAttribute(bin.resolve("host-local"), "unix:ino")).isNotEqualTo(before);
      }
    } finally {
      upgrading.set(false);
    }

    List<String> kubeNode = runners.get(0).get(120, TimeUnit.SECONDS);
    List<String> hostLocal = runners.get(1).get(120, TimeUnit.SECONDS);
    assertThat(kubeNode)
        .hasSizeGreaterThanOrEqualTo(20)
        .allMatch(o -> o.matches("kube-node v\\d+"));
    assertThat(hostLocal)
        .hasSizeGreaterThanOrEqualTo(20)
        .allMatch(o -> o.matches("host-local v\\d+"));
    assertThat(kubeNode.getLast()).isEqualTo("kube-node v40");
    assertThat(hostLocal.getLast()).isEqualTo("host-local v40");
  }
}
