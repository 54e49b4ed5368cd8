package io.xcluster.cni.router.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;
  Instant now = Instant.parse("2026-11-26T00:00:00Z");

  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void readsTheRotatedTokenAfterAMinuteAndKeepsTheLastWhileTheFileIsGone() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "first\n");
    TokenFile token = new TokenFile(file, clock);
    assertThat(token.get()).isEqualTo("first");

    Files.writeString(file, "second");
    now = now.plusSeconds(30);
    assertThat(token.get()).as("read again only after a minute").isEqualTo("first");
    now = now.plus(TokenFile.REREAD);
    assertThat(token.get()).isEqualTo("second");

    Files.delete(file);
    now = now.plus(TokenFile.REREAD).plus(Duration.ofSeconds(1));
    assertThat(token.get()).isEqualTo("second");
  }

  @Test
  void aFileNeverReadIsAnError() {
    TokenFile token = new TokenFile(dir.resolve("absent"), clock);
    assertThatThrownBy(token::get)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("absent");
  }
}
