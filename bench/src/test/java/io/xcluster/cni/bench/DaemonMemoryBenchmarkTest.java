package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonMemoryBenchmarkTest {

  @Test
  void steadyWhenTheLastReadingsAreClose() {
    List<Long> values = List.of(160L, 150L, 140L, 140L, 141L, 140L);
    assertThat(DaemonMemoryBenchmark.steady(values, 4, 2)).isTrue();
    assertThat(DaemonMemoryBenchmark.steady(values, 5, 2)).isFalse();
  }

  @Test
  void notSteadyWithTooFewReadings() {
    assertThat(DaemonMemoryBenchmark.steady(List.of(1L, 1L), 3, 2)).isFalse();
  }

  @Test
  void theToleranceIsExclusive() {
    assertThat(DaemonMemoryBenchmark.steady(List.of(10L, 12L), 2, 2)).isFalse();
  }
}
