package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

class LoggingTest {
  @Test
  void levelsAsTheOriginalTakesThem() {
    assertThat(Logging.level("info")).isEqualTo(Level.INFO);
    assertThat(Logging.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(Logging.level("trace")).isEqualTo(Level.TRACE);
    assertThat(Logging.level("TRACE")).isEqualTo(Level.TRACE);
    assertThat(Logging.level("0")).isEqualTo(Level.INFO);
    assertThat(Logging.level("1")).isEqualTo(Level.DEBUG);
    assertThat(Logging.level("2")).isEqualTo(Level.TRACE);
    assertThat(Logging.level("7")).isEqualTo(Level.TRACE);
    assertThat(Logging.level("loud")).isEqualTo(Level.INFO);
    assertThat(Logging.level(null)).isEqualTo(Level.INFO);
  }
}
