package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four installer processes at once on one "host": the main network twice (a restarted init
 * container racing its predecessor) and two secondary networks, all with the same plugins.
 */
class ConcurrentInstallIT {
  @TempDir Path tmp;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void fourProcessesInstallingAtOnceLeaveOneConsistentInstall() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
    Path net = Files.createDirectories(tmp.resolve("host/etc/cni/net.d"));
    Path sa = InstallFixtures.serviceAccount(tmp, InstallFixtures.token("pod"));
    Path bundle = InstallFixtures.bundle(tmp, "A");
    Path plugins = tmp.resolve("plugins");
    InstallFixtures.plugin(plugins, "host-local", "v1.1.1");
    InstallFixtures.plugin(plugins, "bridge", "v1.1.1");

    String[][] instances = {
      {"xcluster-cni", "main"},
      {"xcluster-cni", "main"},
      {"xcluster-net3", "secondary"},
      {"xcluster-net4", "secondary"},
    };
    for (int round = 0; round < 2; round++) {
      List<Process> running = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      for (int i = 0; i < instances.length; i++) {
        Path log = tmp.resolve("install-" + round + "-" + i + ".log");
        logs.add(log);
        running.add(
            ChildInstall.start(
                ChildInstall.command(
                    List.of(
                        "install",
                        "--instance=" + instances[i][0],
                        "--network-role=" + instances[i][1],
                        "--cni-bin-dir=" + bin,
                        "--cni-conf-dir=" + net,
                        "--service-account-dir=" + sa,
                        "--api-server=https://10.96.0.1:443",
                        "--node-name=node-1",
                        "--mtu=1450",
                        "--kube-node-bundle=" + bundle,
                        "--plugins-dir=" + plugins)),
                log));
      }
      for (int i = 0; i < running.size(); i++) {
        Process p = running.get(i);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("install %d finished", i).isTrue();
        assertThat(p.exitValue()).as(Files.readString(logs.get(i))).isZero();
      }
    }

    Process kubeNode = new ProcessBuilder(bin.resolve("kube-node").toString()).start();
    assertThat(kubeNode.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(kubeNode.getInputStream().readAllBytes()).strip())
        .isEqualTo("kube-node A");
    assertThat(bin.resolve("host-local")).hasSameBinaryContentAs(plugins.resolve("host-local"));
    assertThat(bin.resolve("bridge")).hasSameBinaryContentAs(plugins.resolve("bridge"));
    try (Stream<Path> s = Files.list(bin.resolve(PluginInstaller.STORE))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .filteredOn(n -> !n.equals(".lock"))
          .singleElement(InstanceOfAssertFactories.STRING)
          .startsWith("kube-node-");
    }
    try (Stream<Path> s = Files.list(net.resolve("xcluster-cni"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "node-name",
              "xcluster-cni.kubeconfig",
              "xcluster-net3.kubeconfig",
              "xcluster-net4.kubeconfig");
    }
    assertThat(net.resolve("10-xcluster-cni.conf")).content().contains("\"mtu\" : 1450");
    try (Stream<Path> s = Files.walk(tmp.resolve("host"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .noneMatch(n -> n.endsWith(AtomicFiles.TMP_SUFFIX) || n.startsWith(".tmp-"));
    }
  }
}
