package io.xcluster.cni.router.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Node;
import io.xcluster.cni.annotations.NodeAnnotations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileNodeSourceTest {
  @TempDir Path dir;

  static String nodes(String... names) {
    StringBuilder sb = new StringBuilder("kind: List\nitems:\n");
    int i = 1;
    for (String name : names) {
      sb.append("- metadata: {name: ")
          .append(name)
          .append("}\n  spec: {podCIDRs: [10.1.")
          .append(i)
          .append(".0/24]}\n  status: {addresses: [{type: InternalIP, address: 192.168.1.")
          .append(i++)
          .append("}]}\n");
    }
    return sb.toString();
  }

  @Test
  void readsWatchesAndKeepsTheLastGoodNodesOnABadFile() throws Exception {
    Path file = dir.resolve("nodes.yaml");
    Files.writeString(file, nodes("a", "b"));
    Semaphore changes = new Semaphore(0);
    try (FileNodeSource source =
        new FileNodeSource(file, new NodeProjection(NodeAnnotations.fromSpec()))) {
      source.start(changes::release);
      assertThat(source.hasSynced()).isTrue();
      assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
      assertThat(names(source)).containsExactlyInAnyOrder("a", "b");

      // Written elsewhere and renamed into place, as editors and ConfigMaps do.
      Path tmp = dir.resolve("nodes.tmp");
      Files.writeString(tmp, nodes("a", "b", "c"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
      assertThat(names(source)).containsExactlyInAnyOrder("a", "b", "c");

      Files.writeString(file, "items: [ {metadata: ");
      Thread.sleep(3 * FileNodeSource.POLL.toMillis());
      assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).isFalse();
      assertThat(names(source)).containsExactlyInAnyOrder("a", "b", "c");

      Files.delete(file);
      Thread.sleep(3 * FileNodeSource.POLL.toMillis());
      assertThat(names(source)).containsExactlyInAnyOrder("a", "b", "c");

      Files.writeString(file, nodes("c"));
      assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
      assertThat(names(source)).containsExactly("c");
    }
  }

  @Test
  void aMissingOrBadFileIsNeverSynced() throws Exception {
    Path file = dir.resolve("nodes.json");
    try (FileNodeSource source =
        new FileNodeSource(file, new NodeProjection(NodeAnnotations.fromSpec()))) {
      source.start(() -> {});
      assertThat(source.hasSynced()).isFalse();
      Files.writeString(file, "{\"items\": 5}");
      Thread.sleep(3 * FileNodeSource.POLL.toMillis());
      assertThat(source.hasSynced()).isFalse();
    }
  }

  @Test
  void anUnchangedRewriteTriggersNothing() throws Exception {
    Path file = dir.resolve("nodes.yaml");
    Files.writeString(file, nodes("a"));
    Semaphore changes = new Semaphore(0);
    try (FileNodeSource source =
        new FileNodeSource(file, new NodeProjection(NodeAnnotations.fromSpec()))) {
      source.start(changes::release);
      changes.drainPermits();
      Files.writeString(file, nodes("a") + "# a comment\n");
      Thread.sleep(3 * FileNodeSource.POLL.toMillis());
      assertThat(changes.availablePermits()).isZero();
    }
  }

  static java.util.List<String> names(NodeSource source) {
    return source.lister().list().stream().map(V1Node::getMetadata).map(m -> m.getName()).toList();
  }
}
