package io.xcluster.cni.router.install;

import static io.xcluster.cni.router.install.InstallFixtures.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenRefresherTest {
  private static final URI SERVER = URI.create("https://10.96.0.1:443");

  @TempDir Path tmp;
  Path sa;
  InstanceLayout layout;

  @BeforeEach
  void setUp() throws IOException {
    sa = InstallFixtures.serviceAccount(tmp, InstallFixtures.token("first"));
    layout =
        new InstanceLayout(
            tmp.resolve("bin"), tmp.resolve("net.d"), Path.of("/etc/cni/net.d"), "xcluster-cni");
  }

  /** Waits for a condition, polling; bounded, never a performance assertion. */
  private static boolean eventually(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (Instant.now().isBefore(end)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private boolean kubeconfigHas(String token) {
    try {
      return Files.readString(layout.kubeconfig()).contains("token: " + token + "\n");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aRotatedTokenIsWrittenOnTheFileEventWellBeforeThePeriod() throws Exception {
    // A one-hour period: only the inotify watch can make the rewrite happen in this test.
    try (TokenRefresher r =
        TokenRefresher.projected(new ServiceAccountFiles(sa), layout, SERVER, Duration.ofHours(1))
            .start()) {
      assertThat(
              eventually(
                  Duration.ofSeconds(10), () -> kubeconfigHas(InstallFixtures.token("first"))))
          .isTrue();
      assertThat(mode(layout.kubeconfig())).isEqualTo("rw-------");

      InstallFixtures.rotate(sa, InstallFixtures.token("second"), "..2026_01_01_00_48_00.1");

      assertThat(
              eventually(
                  Duration.ofSeconds(20), () -> kubeconfigHas(InstallFixtures.token("second"))))
          .as("kubeconfig rewritten after the kubelet rotated the token")
          .isTrue();
      assertThat(mode(layout.kubeconfig())).isEqualTo("rw-------");
      assertThat(r.lastError()).isEmpty();
    }
  }

  @Test
  void withoutAnEventTheTokenIsReReadEveryPeriod() throws Exception {
    // Writing the token file in place, not through ..data, still changes it; a short period
    // catches even a change the watch would not report (token is a link into ..data).
    try (TokenRefresher r =
        TokenRefresher.projected(
                new ServiceAccountFiles(sa), layout, SERVER, Duration.ofMillis(200))
            .start()) {
      assertThat(
              eventually(
                  Duration.ofSeconds(10), () -> kubeconfigHas(InstallFixtures.token("first"))))
          .isTrue();
      Path current = sa.resolve("..data").toRealPath().resolve("token");
      Files.writeString(current, InstallFixtures.token("in-place"));

      assertThat(
              eventually(
                  Duration.ofSeconds(20), () -> kubeconfigHas(InstallFixtures.token("in-place"))))
          .isTrue();
      assertThat(mode(layout.kubeconfig())).isEqualTo("rw-------");
    }
  }

  @Test
  void aBrokenTokenIsReportedAndTheOldKubeconfigStaysUntilAGoodOneComes() throws Exception {
    try (TokenRefresher r =
        TokenRefresher.projected(new ServiceAccountFiles(sa), layout, SERVER, Duration.ofHours(1))
            .start()) {
      assertThat(
              eventually(
                  Duration.ofSeconds(10), () -> kubeconfigHas(InstallFixtures.token("first"))))
          .isTrue();

      InstallFixtures.rotate(sa, "not a token", "..2026_01_01_00_48_00.2");
      assertThat(eventually(Duration.ofSeconds(20), () -> r.lastError().isPresent())).isTrue();
      assertThat(r.lastError().get()).contains("token");
      assertThat(kubeconfigHas(InstallFixtures.token("first"))).isTrue();

      InstallFixtures.rotate(sa, InstallFixtures.token("third"), "..2026_01_01_00_48_00.3");
      // The error clears with the write of the good token (the file shows first: wait for both).
      assertThat(
              eventually(
                  Duration.ofSeconds(20),
                  () -> kubeconfigHas(InstallFixtures.token("third")) && r.lastError().isEmpty()))
          .isTrue();
    }
  }

  @Test
  void refreshNowWritesOnlyWhenSomethingChanged() throws Exception {
    TokenRefresher r =
        TokenRefresher.projected(
            new ServiceAccountFiles(sa), layout, SERVER, Duration.ofMinutes(1));
    r.refreshNow();
    Object inode = Files.getAttribute(layout.kubeconfig(), "unix:ino");
    r.refreshNow();
    assertThat(Files.getAttribute(layout.kubeconfig(), "unix:ino")).isEqualTo(inode);
    InstallFixtures.rotate(sa, InstallFixtures.token("next"), "..2026_01_01_01_00_00.0");
    assertThat(r.refreshNow().expiry()).contains(Instant.ofEpochSecond(4102444800L));
    assertThat(Files.getAttribute(layout.kubeconfig(), "unix:ino")).isNotEqualTo(inode);
    assertThat(kubeconfigHas(InstallFixtures.token("next"))).isTrue();
    assertThat(r.lastSuccess()).isAfter(Instant.EPOCH);
  }

  @Test
  void anExpiredProjectedTokenIsAnErrorNotWritten() throws Exception {
    TokenRefresher r =
        TokenRefresher.projected(
            new ServiceAccountFiles(sa), layout, SERVER, Duration.ofMinutes(1));
    r.refreshNow();
    InstallFixtures.rotate(sa, InstallFixtures.expiredToken(), "..2026_01_01_01_00_00.1");
    assertThatThrownBy(r::refreshNow).hasMessageContaining("expired");
    assertThat(kubeconfigHas(InstallFixtures.token("first"))).isTrue();
  }

  @Test
  void aRemovedKubeconfigIsPutBackWithinThePeriod() throws Exception {
    try (TokenRefresher r =
        TokenRefresher.projected(
                new ServiceAccountFiles(sa), layout, SERVER, Duration.ofMillis(200))
            .start()) {
      assertThat(
              eventually(
                  Duration.ofSeconds(10), () -> kubeconfigHas(InstallFixtures.token("first"))))
          .isTrue();
      Files.delete(layout.kubeconfig());
      assertThat(
              eventually(
                  Duration.ofSeconds(20), () -> kubeconfigHas(InstallFixtures.token("first"))))
          .isTrue();
      assertThat(mode(layout.kubeconfig())).isEqualTo("rw-------");
    }
  }

  @Test
  void theServiceAccountIsIdentifiedFromTheTokensSubject() throws Exception {
    assertThat(new ServiceAccountFiles(sa).identity()).containsExactly("kube-system", "first");
  }
}
