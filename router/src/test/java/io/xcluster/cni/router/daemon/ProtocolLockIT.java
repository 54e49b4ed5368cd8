package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lock between two processes, and its release when the holder dies. */
@Timeout(60)
class ProtocolLockIT {
  @TempDir Path dir;

  /** Holds the lock of protocol 202 in {@code args[0]} until killed. */
  public static void main(String[] args) throws Exception {
    try (ProtocolLock lock = ProtocolLock.acquire(Path.of(args[0]), 202)) {
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  @Test
  void aSecondProcessIsRefusedUntilTheFirstDies() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process holder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ProtocolLockIT.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> ProtocolLock.acquire(dir, 202))
          .isInstanceOf(ProtocolLock.AlreadyLockedException.class);
    } finally {
      holder.destroyForcibly();
      assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    try (ProtocolLock lock = ProtocolLock.acquire(dir, 202)) {
      assertThat(lock.file()).exists();
    }
  }
}
