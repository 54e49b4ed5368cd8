package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolLockTest {
  @TempDir Path dir;

  @Test
  void oneRouterPerProtocol() throws Exception {
    try (ProtocolLock lock = ProtocolLock.acquire(dir.resolve("run"), 202)) {
      assertThat(lock.file().getFileName().toString()).matches("protocol-202-net[0-9]+\\.lock");
      assertThat(Files.readString(lock.file()).strip())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
      assertThatThrownBy(() -> ProtocolLock.acquire(dir.resolve("run"), 202))
          .isInstanceOf(ProtocolLock.AlreadyLockedException.class)
          .hasMessageContaining("another xcluster-cni router already runs with protocol 202");
      try (ProtocolLock other = ProtocolLock.acquire(dir.resolve("run"), 203)) {
        assertThat(other.file().getFileName().toString()).startsWith("protocol-203-net");
      }
    }
    try (ProtocolLock again = ProtocolLock.acquire(dir.resolve("run"), 202)) {
      assertThat(again.file()).exists();
    }
  }
}
