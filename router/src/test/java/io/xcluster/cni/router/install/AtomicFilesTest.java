package io.xcluster.cni.router.install;

import static io.xcluster.cni.router.install.InstallFixtures.mode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesContentAndExactModeAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("a.kubeconfig");
    AtomicFiles.write(f, bytes("one"), AtomicFiles.PRIVATE);
    assertThat(f).hasContent("one");
    assertThat(mode(f)).isEqualTo("rw-------");
    AtomicFiles.write(f, bytes("two"), AtomicFiles.READABLE);
    assertThat(f).hasContent("two");
    assertThat(mode(f)).isEqualTo("rw-r--r--");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void writeIfChangedSkipsIdenticalFilesAndRepairsModes() throws Exception {
    Path f = dir.resolve("10-x.conf");
    assertThat(AtomicFiles.writeIfChanged(f, bytes("{}"), AtomicFiles.READABLE)).isTrue();
    long inode = (long) Files.getAttribute(f, "unix:ino");
    assertThat(AtomicFiles.writeIfChanged(f, bytes("{}"), AtomicFiles.READABLE)).isFalse();
    assertThat((long) Files.getAttribute(f, "unix:ino")).isEqualTo(inode);

    assertThat(AtomicFiles.writeIfChanged(f, bytes("{}"), AtomicFiles.PRIVATE)).isTrue();
    assertThat(mode(f)).isEqualTo("rw-------");
    assertThat(AtomicFiles.writeIfChanged(f, bytes("{ }"), AtomicFiles.PRIVATE)).isTrue();
    assertThat(f).hasContent("{ }");
  }

  @Test
  void replacingAFileNeverWritesIntoTheOldInode() throws Exception {
    // A running program keeps its inode: replacing by rename is what avoids "text file busy".
    Path f = dir.resolve("host-local");
    AtomicFiles.write(f, bytes("old"), AtomicFiles.EXECUTABLE);
    Path hardLink = Files.createLink(dir.resolve("still-running"), f);
    AtomicFiles.copy(Files.writeString(dir.resolve("src"), "new"), f, AtomicFiles.EXECUTABLE);
    assertThat(f).hasContent("new");
    assertThat(hardLink).hasContent("old");
    assertThat(mode(f)).isEqualTo("rwxr-xr-x");
  }

  @Test
  void aSymlinkIsReplacedInOneStep() throws Exception {
    Path link = dir.resolve("kube-node");
    AtomicFiles.symlink(link, Path.of("a/bin/kube-node"));
    AtomicFiles.symlink(link, Path.of("b/bin/kube-node"));
    assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("b/bin/kube-node"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(link);
    }
  }

  @Test
  void temporaryNamesAreHiddenFromCniRuntimes() {
    Path tmp = AtomicFiles.temporary(dir.resolve("10-xcluster-cni.conf"));
    String name = tmp.getFileName().toString();
    assertThat(name).startsWith(".").endsWith(AtomicFiles.TMP_SUFFIX);
    assertThat(name).doesNotEndWith(".conf").doesNotEndWith(".conflist").doesNotEndWith(".json");
    assertThat(tmp.getParent()).isEqualTo(dir);
  }

  @Test
  void onlyOldTemporaryFilesOfOursAreCleanedUp() throws Exception {
    Path old = Files.writeString(AtomicFiles.temporary(dir.resolve("host-local")), "partial");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Path inFlight = Files.writeString(AtomicFiles.temporary(dir.resolve("bridge")), "writing");
    Path notOurs = Files.writeString(dir.resolve(".other.tmp"), "theirs");
    Files.setLastModifiedTime(notOurs, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

    assertThat(AtomicFiles.removeStaleTemporaries(dir, Duration.ofMinutes(10))).isEqualTo(1);

    assertThat(old).doesNotExist();
    assertThat(inFlight).exists();
    assertThat(notOurs).exists();
  }
}
