package io.xcluster.cni.router.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.CallGeneratorParams;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.kube.KubeHttp;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The list in pages over real HTTP against the fake API server. */
@Timeout(60)
class NodeListerWatcherTest {
  @TempDir Path dir;

  @Test
  void listsEveryNodeOnceInPages() throws Exception {
    int count = 2 * NodeListerWatcher.PAGE + 17;
    try (FakeApiServer server = FakeApiServer.start()) {
      for (int i = 0; i < count; i++) {
        server.putNode(FakeNodes.small(String.format("n%04d", i), i));
      }
      NodeListerWatcher lw =
          new NodeListerWatcher(
              KubeHttp.of(InformerNodeSourceTest.client(server, dir)),
              new NodeProjection(NodeAnnotations.fromSpec()));

      V1NodeList list = lw.list(new CallGeneratorParams(false, null, 30));

      assertThat(list.getItems())
          .hasSize(count)
          .extracting(n -> n.getMetadata().getName())
          .doesNotHaveDuplicates()
          .startsWith("n0000", "n0001");
      assertThat(list.getMetadata().getResourceVersion()).isNotBlank();
      assertThat(server.requestCount("list", "/api/v1/nodes")).isEqualTo(3);
    }
  }
}
