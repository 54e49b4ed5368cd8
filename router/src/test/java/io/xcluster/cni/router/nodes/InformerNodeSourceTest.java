package io.xcluster.cni.router.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.router.kube.KubeHttp;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The informer path over real HTTP against the fake API server. */
@Timeout(60)
class InformerNodeSourceTest {
  static final String CIDR = "cidr.example.com/net3";

  @TempDir Path dir;

  static ApiClient client(FakeApiServer server, Path dir) throws Exception {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    try (Reader r = Files.newBufferedReader(kubeconfig)) {
      ApiClient client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r)).build();
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      return client;
    }
  }

  @Test
  void cachesSlimNodesAndWakesOnlyForWhatMatters() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      server.putNode(FakeNodes.realistic("n1", 1, Map.of(CIDR, "172.20.1.0/24")));
      server.putNode(FakeNodes.realistic("n2", 2));
      Semaphore changes = new Semaphore(0);
      NodeProjection projection =
          new NodeProjection(new NodeAnnotations(Optional.of(CIDR), Optional.empty()));
      try (InformerNodeSource source =
          new InformerNodeSource(KubeHttp.of(client(server, dir)), projection)) {
        source.start(changes::release);
        waitUntil(source::hasSynced);
        assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        V1Node n1 = source.lister().get("n1");
        assertThat(n1.getMetadata().getAnnotations()).containsOnlyKeys(CIDR);
        assertThat(n1.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(n1.getStatus().getImages()).isNullOrEmpty();
        assertThat(n1.getStatus().getConditions()).isNullOrEmpty();
        assertThat(n1.getMetadata().getCreationTimestamp()).isNotNull();
        Thread.sleep(300);
        changes.drainPermits();

        // An annotation the router does not read: no work.
        server.patchNodeAnnotations("n1", Map.of("example.com/other", "x"), List.of());
        assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).isFalse();

        // The configured annotation: work.
        server.patchNodeAnnotations("n1", Map.of(CIDR, "172.20.9.0/24"), List.of());
        assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        waitUntil(
            () ->
                "172.20.9.0/24"
                    .equals(source.lister().get("n1").getMetadata().getAnnotations().get(CIDR)));

        // A Node deleted: work.
        server.deleteNode("n2");
        assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

        // API down: the cache stays; back up: changes made meanwhile arrive.
        server.setDown(true);
        Thread.sleep(1500);
        assertThat(source.lister().list()).hasSize(1);
        server.setDown(false);
        server.putNode(FakeNodes.small("n3", 3));
        waitUntil(() -> source.lister().get("n3") != null);
      }
    }
  }

  static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      Thread.sleep(10);
    }
  }
}
