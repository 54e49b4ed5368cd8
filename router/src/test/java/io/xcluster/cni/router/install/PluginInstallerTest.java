package io.xcluster.cni.router.install;

import static io.xcluster.cni.router.install.InstallFixtures.bundle;
import static io.xcluster.cni.router.install.InstallFixtures.mode;
import static io.xcluster.cni.router.install.InstallFixtures.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.router.install.PluginInstaller.Action;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginInstallerTest {
  private static final Path LAUNCHER = Path.of("bin/kube-node");

  @TempDir Path tmp;
  Path bin;
  PluginInstaller installer;

  @BeforeEach
  void setUp() throws Exception {
    bin = Files.createDirectories(tmp.resolve("host/opt/cni/bin"));
    installer = new PluginInstaller(bin, PluginProber.exec());
  }

  private PluginInstaller.Result install(Path bundle, String version, boolean force)
      throws Exception {
    return installer.installBundle(
        bundle, "kube-node", LAUNCHER, PluginVersion.parse(version), force);
  }

  private String runKubeNode() throws Exception {
    Process p = new ProcessBuilder(bin.resolve("kube-node").toString()).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes()).strip();
  }

  private List<String> bundleDirs() throws Exception {
    try (Stream<Path> s = Files.list(bin.resolve(PluginInstaller.STORE))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("kube-node-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void freshInstallLinksTheLauncherOfACompleteCopy() throws Exception {
    PluginInstaller.Result r = install(bundle(tmp, "A"), "0.2.0", false);

    assertThat(r.action()).isEqualTo(Action.INSTALLED);
    assertThat(Files.isSymbolicLink(bin.resolve("kube-node"))).isTrue();
    assertThat(Files.readSymbolicLink(bin.resolve("kube-node")).toString())
        .matches("xcluster-cni/kube-node-0\\.2\\.0-[0-9a-f]{12}/bin/kube-node");
    assertThat(runKubeNode()).isEqualTo("kube-node A");
    Path installed = bin.resolve("kube-node").toRealPath().getParent().getParent();
    assertThat(mode(installed.resolve("bin/kube-node"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(installed.resolve("lib/kube-node.jar"))).isEqualTo("rw-r--r--");
    assertThat(Files.readSymbolicLink(installed.resolve("lib/current.jar")))
        .isEqualTo(Path.of("kube-node.jar"));
    assertThat(Trees.digest(installed)).isEqualTo(Trees.digest(tmp.resolve("bundle-A")));
  }

  @Test
  void sameVersionAndBuildIsLeftAlone() throws Exception {
    Path b = bundle(tmp, "A");
    install(b, "0.2.0", false);
    Path target = Files.readSymbolicLink(bin.resolve("kube-node"));
    long inode =
        (long) Files.getAttribute(bin.resolve("kube-node"), "unix:ino", LinkOption.NOFOLLOW_LINKS);

    PluginInstaller.Result r = install(b, "0.2.0", false);

    assertThat(r.action()).isEqualTo(Action.UNCHANGED);
    assertThat(Files.readSymbolicLink(bin.resolve("kube-node"))).isEqualTo(target);
    assertThat(
            (long)
                Files.getAttribute(bin.resolve("kube-node"), "unix:ino", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(inode);
  }

  @Test
  void upgradeSwitchesTheLinkAndKeepsThePreviousVersionForRunningCalls() throws Exception {
    install(bundle(tmp, "A"), "0.1.0", false);
    install(bundle(tmp, "B"), "0.2.0", false);
    PluginInstaller.Result r = install(bundle(tmp, "C"), "0.3.0", false);

    assertThat(r.action()).isEqualTo(Action.UPGRADED);
    assertThat(r.detail()).contains("0.2.0 -> 0.3.0");
    assertThat(runKubeNode()).isEqualTo("kube-node C");
    // 0.1.0 is pruned; 0.2.0, the one replaced just now, may still be running.
    assertThat(bundleDirs())
        .hasSize(2)
        .anyMatch(n -> n.startsWith("kube-node-0.2.0-"))
        .anyMatch(n -> n.startsWith("kube-node-0.3.0-"));
  }

  @Test
  void downgradeIsRefusedUnlessForced() throws Exception {
    install(bundle(tmp, "new"), "0.3.0", false);

    PluginInstaller.Result refused = install(bundle(tmp, "old"), "0.2.0", false);
    assertThat(refused.action()).isEqualTo(Action.REFUSED_DOWNGRADE);
    assertThat(refused.detail()).contains("0.3.0").contains("--force");
    assertThat(runKubeNode()).isEqualTo("kube-node new");

    PluginInstaller.Result forced = install(bundle(tmp, "old2"), "0.2.0", true);
    assertThat(forced.action()).isEqualTo(Action.REPLACED);
    assertThat(runKubeNode()).isEqualTo("kube-node old2");
  }

  @Test
  void aReleaseReplacesItsSnapshotAndADifferentBuildOfTheSameVersionReplacesTheOld()
      throws Exception {
    install(bundle(tmp, "snap"), "0.2.0-SNAPSHOT", false);
    assertThat(install(bundle(tmp, "rel"), "0.2.0", false).action()).isEqualTo(Action.UPGRADED);
    PluginInstaller.Result rebuilt = install(bundle(tmp, "rebuilt"), "0.2.0", false);
    assertThat(rebuilt.action()).isEqualTo(Action.REPLACED);
    assertThat(rebuilt.detail()).contains("same version 0.2.0, different build");
    assertThat(runKubeNode()).isEqualTo("kube-node rebuilt");
  }

  @Test
  void aKubeNodeNotInstalledByUsIsReplaced() throws Exception {
    InstallFixtures.executable(bin.resolve("kube-node"), "#!/bin/sh\necho go kube-node\n");
    PluginInstaller.Result r = install(bundle(tmp, "A"), "0.2.0", false);
    assertThat(r.action()).isEqualTo(Action.REPLACED);
    assertThat(r.detail()).contains("not installed by xcluster-cni");
    assertThat(runKubeNode()).isEqualTo("kube-node A");
  }

  @Test
  void fourThreadsInstallingAtOnceLeaveOneWorkingInstall() throws Exception {
    List<Path> bundles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bundles.add(bundle(tmp, "same" + i));
    }
    // All four carry the same content under different source dirs: make them identical.
    for (Path b : bundles) {
      Files.writeString(b.resolve("lib/kube-node.jar"), "jar same");
      InstallFixtures.executable(b.resolve("bin/kube-node"), "#!/bin/sh\necho kube-node same\n");
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PluginInstaller.Result>> results = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (Path b : bundles) {
          results.add(pool.submit(() -> install(b, "0.2.0", false)));
        }
      }
      long installed = 0;
      for (Future<PluginInstaller.Result> f : results) {
        Action a = f.get(60, TimeUnit.SECONDS).action();
        assertThat(a).isIn(Action.INSTALLED, Action.UNCHANGED);
        installed += a == Action.INSTALLED ? 1 : 0;
      }
      assertThat(installed).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(runKubeNode()).isEqualTo("kube-node same");
    assertThat(bundleDirs()).hasSize(1);
    try (Stream<Path> s = Files.list(bin.resolve(PluginInstaller.STORE))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
    try (Stream<Path> s = Files.list(bin)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void aMissingBinaryIsInstalledExecutable() throws Exception {
    Path src = plugin(tmp.resolve("image"), "host-local", "v1.1.1");
    PluginInstaller.Result r = installer.installBinary(src, "host-local", false);
    assertThat(r.action()).isEqualTo(Action.INSTALLED);
    assertThat(r.detail()).isEqualTo("1.1.1");
    assertThat(bin.resolve("host-local")).hasSameBinaryContentAs(src);
    assertThat(mode(bin.resolve("host-local"))).isEqualTo("rwxr-xr-x");
    assertThat(installer.installBinary(src, "host-local", false).action())
        .isEqualTo(Action.UNCHANGED);
  }

  @Test
  void anOlderHostBinaryIsUpgradedANewerOneIsKept() throws Exception {
    Path ours = plugin(tmp.resolve("image"), "bridge", "v1.1.1");
    plugin(bin, "bridge", "v1.0.0");
    assertThat(installer.installBinary(ours, "bridge", false).action()).isEqualTo(Action.UPGRADED);
    assertThat(bin.resolve("bridge")).hasSameBinaryContentAs(ours);

    plugin(bin, "bridge", "v1.4.0");
    PluginInstaller.Result r = installer.installBinary(ours, "bridge", false);
    assertThat(r.action()).isEqualTo(Action.REFUSED_DOWNGRADE);
    assertThat(bin.resolve("bridge")).content().contains("v1.4.0");

    assertThat(installer.installBinary(ours, "bridge", true).action()).isEqualTo(Action.REPLACED);
    assertThat(bin.resolve("bridge")).hasSameBinaryContentAs(ours);
  }

  @Test
  void aHostBinaryOfUnknownVersionIsKept() throws Exception {
    // Debian's builds print "version unknown": we cannot know ours is newer, so theirs stays.
    Path ours = plugin(tmp.resolve("image"), "host-local", "version unknown");
    plugin(bin, "host-local", "v1.0.0");
    PluginInstaller.Result r = installer.installBinary(ours, "host-local", false);
    assertThat(r.action()).isEqualTo(Action.KEPT);
    assertThat(r.detail()).contains("cannot compare");
    assertThat(bin.resolve("host-local")).content().contains("v1.0.0");
  }

  @Test
  void aCopyAbandonedByAKilledInstallerIsRemovedAndDoesNotBlockTheInstall() throws Exception {
    Path abandoned =
        Files.createDirectories(bin.resolve(PluginInstaller.STORE).resolve(".tmp-dead"));
    Files.writeString(abandoned.resolve("half"), "x");
    assertThat(install(bundle(tmp, "A"), "0.2.0", false).action()).isEqualTo(Action.INSTALLED);
    assertThat(abandoned).doesNotExist();
    assertThat(runKubeNode()).isEqualTo("kube-node A");
  }
}
