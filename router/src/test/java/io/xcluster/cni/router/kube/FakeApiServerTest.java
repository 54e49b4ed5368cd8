package io.xcluster.cni.router.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.extended.event.EventType;
import io.kubernetes.client.extended.event.legacy.EventRecorder;
import io.kubernetes.client.extended.event.legacy.LegacyEventBroadcaster;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake API server, driven by the real client: client-java's informer over HTTPS with a token
 * (list, streaming watch, resumes after a watch ends and after an outage), a kubeconfig with token
 * and CA, the three patch types, Event creation through both Event APIs, and client-java's event
 * recorder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeApiServerTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void informerListsWatchesAndResumesAfterOutages() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "t0ken")) {
      server.putNode(FakeNodes.small("n1", 1));
      ApiClient client = ClientBuilder.kubeconfig(kubeconfig(server)).build();
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      SharedInformerFactory factory = new SharedInformerFactory(client);
      SharedIndexInformer<V1Node> informer =
          factory.sharedIndexInformerFor(
              new GenericKubernetesApi<>(V1Node.class, V1NodeList.class, "", "v1", "nodes", client),
              V1Node.class,
              0);
      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      informer.addEventHandler(recorder(seen));
      factory.startAllRegisteredInformers();
      try {
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ADD n1");
        awaitWatch(server);

        server.putNode(FakeNodes.small("n2", 2));
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ADD n2");
        server.patchNodeAnnotations("n1", Map.of("example.com/a", "1"), List.of());
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
            .isEqualTo("UPDATE n1 {example.com/a=1}");
        server.deleteNode("n2");
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("DELETE n2");
        assertThat(informer.getIndexer().list())
            .extracting(n -> n.getMetadata().getName())
            .containsExactly("n1");

        // A watch that ends (its timeout) resumes from the last resource version: no new list.
        long lists = server.requestCount("list", "/api/v1/nodes");
        long watches = server.requestCount("watch", "/api/v1/nodes");
        server.endWatches();
        server.putNode(FakeNodes.small("n3", 3));
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ADD n3");
        assertThat(server.requestCount("list", "/api/v1/nodes")).isEqualTo(lists);
        assertThat(server.requestCount("watch", "/api/v1/nodes")).isGreaterThan(watches);

        // Outage: connections refused for a while; what changed meanwhile arrives afterwards.
        // (client-java lists again after a broken watch; unchanged nodes then come as updates.)
        awaitWatch(server);
        server.setDown(true);
        server.putNode(FakeNodes.small("n4", 4));
        server.patchNodeAnnotations("n1", Map.of(), List.of("example.com/a"));
        Thread.sleep(1500); // at least one refused reconnect
        server.setDown(false);
        awaitEvents(seen, List.of("ADD n4", "UPDATE n1 {}"), List.of("UPDATE n3 {}"));
        assertThat(informer.getIndexer().list())
            .extracting(n -> n.getMetadata().getName())
            .containsExactlyInAnyOrder("n1", "n3", "n4");
      } finally {
        factory.stopAllRegisteredInformers();
      }
    }
  }

  @Test
  void readsANodeOverHttpsWithKubeconfigTokenAndCa() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "s3cret")) {
      server.putNode(FakeNodes.realistic("worker-7", 7, Map.of("example.com/cidr", "10.9.0.0/24")));
      Path file = server.writeKubeconfig(dir.resolve("kubeconfig"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(server.url().toString()).startsWith("https://127.0.0.1:");

      CoreV1Api api = new CoreV1Api(ClientBuilder.kubeconfig(load(file)).build());
      V1Node node = api.readNode("worker-7").execute();
      assertThat(node.getMetadata().getAnnotations())
          .containsEntry("example.com/cidr", "10.9.0.0/24");
      assertThat(node.getSpec().getPodCIDRs())
          .containsExactly(FakeNodes.podCidrV4(7), FakeNodes.podCidrV6(7));
      assertThat(node.getStatus().getImages()).hasSize(36);
      assertThat(server.requestCount("get", "/api/v1/nodes/worker-7")).isEqualTo(1);

      assertThatThrownBy(() -> api.readNode("absent").execute())
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

      Path wrong = server.writeKubeconfig(dir.resolve("wrong"), "not-the-token");
      CoreV1Api rejected = new CoreV1Api(ClientBuilder.kubeconfig(load(wrong)).build());
      assertThatThrownBy(() -> rejected.readNode("worker-7").execute())
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  @Test
  void patchesAnnotationsWithEveryPatchType() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      server.putNode(FakeNodes.small("n1", 1, Map.of("keep", "me", "drop", "me")));
      ApiClient client = ClientBuilder.kubeconfig(kubeconfig(server)).build();
      CoreV1Api api = new CoreV1Api(client);
      long before = server.resourceVersion();

      patch(
          api,
          client,
          "{\"metadata\":{\"annotations\":{\"merge\":\"1\",\"drop\":null}}}",
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH);
      patch(
          api,
          client,
          "{\"metadata\":{\"annotations\":{\"strategic\":\"2\"}}}",
          V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH);
      V1Node last =
          patch(
              api,
              client,
              "[{\"op\":\"add\",\"path\":\"/metadata/annotations/json~1patch\",\"value\":\"3\"}]",
              V1Patch.PATCH_FORMAT_JSON_PATCH);

      assertThat(last.getMetadata().getAnnotations())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("keep", "me", "merge", "1", "strategic", "2", "json/patch", "3"));
      assertThat(server.nodeAnnotations("n1")).contains(last.getMetadata().getAnnotations());
      assertThat(Long.parseLong(last.getMetadata().getResourceVersion())).isEqualTo(before + 3);
      assertThat(server.requestCount("patch", "/api/v1/nodes/n1")).isEqualTo(3);

      // A patch that changes nothing keeps the resource version, as the real server does.
      V1Node same =
          patch(
              api,
              client,
              "{\"metadata\":{\"annotations\":{\"keep\":\"me\"}}}",
              V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH);
      assertThat(same.getMetadata().getResourceVersion())
          .isEqualTo(last.getMetadata().getResourceVersion());

      // A replace with a stale resource version is a conflict.
      last.getMetadata().setResourceVersion(Long.toString(before));
      assertThatThrownBy(() -> api.replaceNode("n1", last).execute())
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThatThrownBy(
              () -> patch(api, client, "{}", V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, "absent"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }
  }

  @Test
  void createsEventsThroughBothEventApis() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      ApiClient client = ClientBuilder.kubeconfig(kubeconfig(server)).build();
      V1ObjectReference node = new V1ObjectReference().kind("Node").name("n1").uid("uid-1");
      CoreV1Event created =
          new CoreV1Api(client)
              .createNamespacedEvent(
                  "default",
                  new CoreV1Event()
                      .metadata(new V1ObjectMeta().generateName("n1."))
                      .involvedObject(node)
                      .type("Warning")
                      .reason("BadAnnotation")
                      .message("bad value")
                      .count(1))
              .execute();
      assertThat(created.getMetadata().getName()).startsWith("n1.").hasSize(8);
      new EventsV1Api(client)
          .createNamespacedEvent(
              "default",
              new EventsV1Event()
                  .metadata(new V1ObjectMeta().name("n1.second"))
                  .eventTime(OffsetDateTime.now())
                  .regarding(node)
                  .type("Normal")
                  .reason("Routed")
                  .action("Reconcile")
                  .reportingController("xcluster.io/router")
                  .reportingInstance("router-n1")
                  .note("ok"))
          .execute();

      assertThat(server.events())
          .extracting(e -> e.path("reason").asText())
          .containsExactly("BadAnnotation", "Routed");
      assertThat(
              new CoreV1Api(client)
                  .listNamespacedEvent("default")
                  .fieldSelector("involvedObject.name=n1")
                  .execute()
                  .getItems())
          .extracting(CoreV1Event::getMessage)
          .containsExactly("bad value");
      assertThat(server.requestCount("create", "/api/v1/namespaces/default/events")).isEqualTo(1);
    }
  }

  @Test
  void clientJavasEventRecorderCreatesThenPatchesARepeatedEvent() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      ApiClient client = ClientBuilder.kubeconfig(kubeconfig(server)).build();
      LegacyEventBroadcaster broadcaster = new LegacyEventBroadcaster(new CoreV1Api(client));
      EventRecorder recorder =
          broadcaster.newRecorder(new V1EventSource().component("xcluster-cni"));
      broadcaster.startRecording();
      V1ObjectReference node = new V1ObjectReference().kind("Node").name("n1").uid("uid-1");
      try {
        recorder.event(node, EventType.Warning, "BadAnnotation", "bad value %s", "x");
        await(() -> server.events().size() == 1);
        recorder.event(node, EventType.Warning, "BadAnnotation", "bad value %s", "x");
        await(() -> server.events().getFirst().get("count").asInt() == 2);
      } finally {
        broadcaster.shutdown();
      }

      assertThat(server.events()).hasSize(1);
      assertThat(server.events().getFirst().at("/involvedObject/name").asText()).isEqualTo("n1");
      assertThat(server.requests())
          .containsEntry("create /api/v1/namespaces/default/events", 1L)
          .containsEntry("patch /api/v1/namespaces/default/events/" + eventName(server), 1L);
    }
  }

  private static String eventName(FakeApiServer server) {
    return server.events().getFirst().at("/metadata/name").asText();
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static V1Node patch(CoreV1Api api, ApiClient client, String body, String type)
      throws ApiException {
    return patch(api, client, body, type, "n1");
  }

  private static V1Node patch(
      CoreV1Api api, ApiClient client, String body, String type, String name) throws ApiException {
    return PatchUtils.patch(
        V1Node.class, () -> api.patchNode(name, new V1Patch(body)).buildCall(null), type, client);
  }

  private KubeConfig kubeconfig(FakeApiServer server) throws IOException {
    return load(server.writeKubeconfig(dir.resolve("kubeconfig-" + System.nanoTime())));
  }

  private static KubeConfig load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return KubeConfig.loadKubeConfig(reader);
    }
  }

  private static void awaitWatch(FakeApiServer server) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.activeWatches() == 0) {
      assertThat(System.nanoTime()).as("a watch is open").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Waits for every {@code expected} event, in any order, allowing only {@code tolerated} ones. */
  private static void awaitEvents(
      BlockingQueue<String> seen, List<String> expected, List<String> tolerated)
      throws InterruptedException {
    List<String> missing = new ArrayList<>(expected);
    while (!missing.isEmpty()) {
      String event = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(event).as("still missing %s", missing).isNotNull();
      if (!missing.remove(event)) {
        assertThat(event).isIn(tolerated);
      }
    }
  }

  private static ResourceEventHandler<V1Node> recorder(BlockingQueue<String> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Node node) {
        seen.add("ADD " + node.getMetadata().getName());
      }

      @Override
      public void onUpdate(V1Node old, V1Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        seen.add(
            "UPDATE "
                + node.getMetadata().getName()
                + " "
                + (annotations == null ? Map.of() : annotations));
      }

      @Override
      public void onDelete(V1Node node, boolean finalStateUnknown) {
        seen.add("DELETE " + node.getMetadata().getName());
      }
    };
  }
}
