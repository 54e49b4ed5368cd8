package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.testing.FakeNodes;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AnnotationLatencyBenchmarkTest {

  @Test
  void everyChangeGoesToAnotherPeer() {
    Set<Integer> peers = new HashSet<>();
    IntStream.range(0, 999).forEach(j -> peers.add(AnnotationLatencyBenchmark.peer(j)));
    assertThat(peers).hasSize(999).doesNotContain(0).allMatch(k -> k >= 1 && k <= 999);
  }

  @Test
  void freshCidrsAreNewAndNoNodesOwn() {
    Set<String> own = new HashSet<>();
    IntStream.range(0, 1_000).forEach(i -> own.add(FakeNodes.podCidrV4(i)));
    Set<String> fresh = new HashSet<>();
    IntStream.range(0, 400)
        .forEach(
            j -> {
              fresh.add(AnnotationLatencyBenchmark.freshCidr(128, j));
              fresh.add(AnnotationLatencyBenchmark.freshCidr(192, j));
            });
    assertThat(fresh).hasSize(800).doesNotContainAnyElementsOf(own);
    assertThat(AnnotationLatencyBenchmark.freshCidr(128, 257)).isEqualTo("10.129.1.0/24");
  }
}
