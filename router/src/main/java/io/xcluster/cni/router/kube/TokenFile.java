package io.xcluster.cni.router.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A bearer token kept in a file that is replaced as it rotates (a pod's projected service-account
 * token; a kubeconfig's {@code tokenFile}): read again when the last read is a minute old, as
 * client-go does. While the file cannot be read the last token stays in use.
 */
final class TokenFile implements Supplier<String> {
  static final Duration REREAD = Duration.ofMinutes(1);

  private final Path file;
  private final Clock clock;
  private String token;
  private Instant read = Instant.MIN;

  TokenFile(Path file) {
    this(file, Clock.systemUTC());
  }

  TokenFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /**
   * The token, read again when due.
   *
   * @throws UncheckedIOException when the file has never been readable
   */
  @Override
  public synchronized String get() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(read.plus(REREAD))) {
      try {
        token = Files.readString(file).strip();
        read = now;
      } catch (IOException e) {
        if (token == null) {
          throw new UncheckedIOException("cannot read the token file " + file, e);
        }
      }
    }
    return token;
  }
}
