package io.xcluster.cni.router.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.CallGeneratorParams;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The list in pages over real HTTP, and the pages handed on as they arrive. */
@Timeout(60)
class NodeListerWatcherTest {
  @TempDir Path dir;

  @Test
  void listsInPagesAndHandsOnEachPageAsItArrives() throws Exception {
    int count = 2 * NodeListerWatcher.PAGE + 17;
    try (FakeApiServer server = FakeApiServer.start()) {
      for (int i = 0; i < count; i++) {
        server.putNode(FakeNodes.small(String.format("n%04d", i), i));
      }
      List<Integer> seen = new ArrayList<>();
      ArrivingNodes[] arriving = new ArrivingNodes[1];
      arriving[0] = new ArrivingNodes(() -> seen.add(arriving[0].snapshot().size()));
      NodeListerWatcher lw =
          new NodeListerWatcher(
              InformerNodeSourceTest.client(server, dir),
              new NodeProjection(NodeAnnotations.fromSpec()),
              arriving[0]);

      V1NodeList list = lw.list(new CallGeneratorParams(false, null, null));

      assertThat(list.getItems()).hasSize(count);
      assertThat(seen).containsExactly(NodeListerWatcher.PAGE, 2 * NodeListerWatcher.PAGE, count);
      assertThat(arriving[0].snapshot())
          .extracting(n -> n.getMetadata().getName())
          .startsWith("n0000", "n0001")
          .doesNotHaveDuplicates();

      // A list again (after a failed watch, say) adds no Node twice.
      lw.list(new CallGeneratorParams(false, null, null));
      assertThat(arriving[0].size()).isEqualTo(count);

      arriving[0].close();
      assertThat(arriving[0].snapshot()).isEmpty();
      arriving[0].add(List.of(new V1Node()));
      assertThat(arriving[0].size()).isZero();
    }
  }
}
