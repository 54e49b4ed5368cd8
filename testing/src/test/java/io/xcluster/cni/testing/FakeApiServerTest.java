package io.xcluster.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake API server over raw HTTP: what a client sees line by line. The router module drives it
 * with client-java's informer as well.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private FakeApiServer server = FakeApiServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void watchReplaysEveryChangeAfterTheResourceVersion() throws Exception {
    server.putNode(FakeNodes.small("n1", 1));
    long from = server.resourceVersion();
    server.putNode(FakeNodes.small("n2", 2));
    server.patchNodeAnnotations("n1", Map.of("a", "1"), List.of());
    server.patchNodeAnnotations("n1", Map.of("a", "1"), List.of()); // no change, no event
    server.deleteNode("n2");

    List<JsonNode> events = watch("resourceVersion=" + from + "&timeoutSeconds=1");

    assertThat(events)
        .extracting(e -> e.get("type").asText() + " " + e.at("/object/metadata/name").asText())
        .containsExactly("ADDED n2", "MODIFIED n1", "DELETED n2");
    assertThat(events)
        .extracting(e -> Long.parseLong(e.at("/object/metadata/resourceVersion").asText()))
        .containsExactly(from + 1, from + 2, from + 3)
        .last()
        .isEqualTo(server.resourceVersion());
  }

  @Test
  void putNodeTakesJsonMapsAndTreesAndKeepsIdentity() throws Exception {
    String first = server.putNode(Map.of("metadata", Map.of("name", "n1")));
    JsonNode tree = JSON.readTree("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"a\":\"b\"}}}");
    String second = server.putNode(tree);

    assertThat(tree.at("/metadata/resourceVersion").isMissingNode()).as("input untouched").isTrue();
    JsonNode before = JSON.readTree(first);
    JsonNode after = JSON.readTree(second);
    assertThat(after.at("/metadata/uid")).isEqualTo(before.at("/metadata/uid"));
    assertThat(after.at("/metadata/creationTimestamp"))
        .isEqualTo(before.at("/metadata/creationTimestamp"));
    assertThat(after.at("/metadata/labels/a").asText()).isEqualTo("b");
    assertThat(after.get("kind").asText()).isEqualTo("Node");
    assertThat(Long.parseLong(after.at("/metadata/resourceVersion").asText()))
        .isEqualTo(server.resourceVersion());
    assertThatThrownBy(() -> server.putNode("{\"metadata\":{}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Node needs metadata.name");
  }

  @Test
  void aHeartbeatIsAModificationOfTheConditionsOnly() throws Exception {
    server.putNode(FakeNodes.realistic("n1", 1));
    JsonNode before = server.node("n1").orElseThrow();

    server.heartbeat("n1");
    server.heartbeat("n1");

    JsonNode after = server.node("n1").orElseThrow();
    assertThat(Long.parseLong(after.at("/metadata/resourceVersion").asText()))
        .isEqualTo(Long.parseLong(before.at("/metadata/resourceVersion").asText()) + 2);
    assertThat(after.at("/status/conditions/3/lastHeartbeatTime"))
        .isNotEqualTo(before.at("/status/conditions/3/lastHeartbeatTime"));
    assertThat(after.get("spec")).isEqualTo(before.get("spec"));
    assertThat(after.at("/status/addresses")).isEqualTo(before.at("/status/addresses"));
    assertThat(after.at("/metadata/annotations")).isEqualTo(before.at("/metadata/annotations"));
    server.putNode(FakeNodes.small("bare", 2));
    server.heartbeat("bare");
    assertThat(server.node("bare").orElseThrow().at("/status/conditions/0/type").asText())
        .isEqualTo("Ready");
  }

  @Test
  void watchFromZeroStartsWithTheCurrentObjects() throws Exception {
    server.putNode(FakeNodes.small("n1", 1));
    server.putNode(FakeNodes.small("n2", 2));

    assertThat(watch("resourceVersion=0&timeoutSeconds=1"))
        .extracting(e -> e.get("type").asText() + " " + e.at("/object/metadata/name").asText())
        .containsExactly("ADDED n1", "ADDED n2");
  }

  @Test
  void watchStreamsLiveChangesAndBookmarks() throws Exception {
    server.putNode(FakeNodes.small("n1", 1));
    server.setBookmarkInterval(Duration.ofMillis(200));
    long from = server.resourceVersion();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  awaitWatch();
                  server.patchNodeAnnotations("n1", Map.of("live", "yes"), List.of());
                });

    List<JsonNode> events =
        watch("resourceVersion=" + from + "&allowWatchBookmarks=true&timeoutSeconds=2");
    writer.join();

    assertThat(events.getFirst().get("type").asText()).isEqualTo("MODIFIED");
    assertThat(events.getFirst().at("/object/metadata/annotations/live").asText()).isEqualTo("yes");
    assertThat(events.subList(1, events.size()))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.get("type").asText()).isEqualTo("BOOKMARK");
              assertThat(e.at("/object/metadata/resourceVersion").asText())
                  .isEqualTo(Long.toString(server.resourceVersion()));
            });
  }

  @Test
  void aResourceVersionOlderThanTheHistoryIsGone() throws Exception {
    server.putNode(FakeNodes.small("n1", 1));
    long old = server.resourceVersion();
    server.putNode(FakeNodes.small("n2", 2));
    server.compactHistory();

    HttpResponse<String> response = get("/api/v1/nodes?watch=true&resourceVersion=" + old);

    assertThat(response.statusCode()).isEqualTo(410);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.get("kind").asText()).isEqualTo("Status");
    assertThat(status.get("reason").asText()).isEqualTo("Expired");
    assertThat(status.get("code").asInt()).isEqualTo(410);
    // From the current version on it works again.
    assertThat(watch("resourceVersion=" + server.resourceVersion() + "&timeoutSeconds=1"))
        .isEmpty();
  }

  @Test
  void aSelectingWatchSeesObjectsEnterAndLeaveTheSelection() throws Exception {
    server.putNode(FakeNodes.small("n1", 1));
    long from = server.resourceVersion();
    server.putNode(withLabel(FakeNodes.small("n1", 1), "role", "edge"));
    server.putNode(withLabel(FakeNodes.small("n2", 2), "role", "core"));
    server.putNode(FakeNodes.small("n1", 1));

    assertThat(watch("resourceVersion=" + from + "&labelSelector=role%3Dedge&timeoutSeconds=1"))
        .extracting(e -> e.get("type").asText() + " " + e.at("/object/metadata/name").asText())
        .containsExactly("ADDED n1", "DELETED n1");
  }

  @Test
  void listsWithSelectorsAndPages() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.putNode(withLabel(FakeNodes.small("n" + i, i), "parity", i % 2 == 0 ? "even" : "odd"));
    }

    assertThat(names(list("fieldSelector=metadata.name%3Dn3"))).containsExactly("n3");
    assertThat(names(list("labelSelector=parity%3Deven"))).containsExactly("n0", "n2", "n4");
    assertThat(names(list("labelSelector=parity!%3Deven,kubernetes.io/hostname")))
        .containsExactly("n1", "n3");
    JsonNode page = list("limit=2");
    assertThat(names(page)).containsExactly("n0", "n1");
    assertThat(page.at("/metadata/resourceVersion").asText())
        .isEqualTo(Long.toString(server.resourceVersion()));
    JsonNode rest = list("limit=10&continue=" + page.at("/metadata/continue").asText());
    assertThat(names(rest)).containsExactly("n2", "n3", "n4");
    assertThat(rest.at("/metadata/continue").isMissingNode()).isTrue();
  }

  @Test
  void getAnswersNotFoundWithAStatus() throws Exception {
    HttpResponse<String> response = get("/api/v1/nodes/absent");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.get("reason").asText()).isEqualTo("NotFound");
    assertThat(status.get("message").asText()).isEqualTo("nodes \"absent\" not found");
    assertThat(server.requests()).containsEntry("get /api/v1/nodes/absent", 1L);
  }

  @Test
  void aConfiguredTokenIsRequired() throws Exception {
    server.close();
    server = FakeApiServer.start(FakeApiServer.Scheme.HTTP, "t0ken");

    assertThat(get("/api/v1/nodes").statusCode()).isEqualTo(401);
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(server.url().resolve("/api/v1/nodes"))
                .header("Authorization", "Bearer t0ken")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  @Test
  void outagesRefuseConnectionsOrAnswer503() throws Exception {
    server.setUnavailable(true);
    assertThat(get("/api/v1/nodes").statusCode()).isEqualTo(503);
    server.setUnavailable(false);

    server.setDown(true);
    assertThatThrownBy(() -> get("/api/v1/nodes")).isInstanceOf(ConnectException.class);
    server.putNode(FakeNodes.small("n1", 1));
    server.setDown(false);
    assertThat(names(list(""))).containsExactly("n1");
  }

  @Test
  void patchesThroughHttp() throws Exception {
    server.putNode(FakeNodes.small("n1", 1, Map.of("old", "x")));

    HttpResponse<String> merge =
        patch(
            "application/merge-patch+json",
            "{\"metadata\":{\"annotations\":{\"old\":null,\"new\":\"y\"}}}");
    HttpResponse<String> jsonPatch =
        patch(
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/metadata/annotations/new\",\"value\":\"y\"},"
                + "{\"op\":\"replace\",\"path\":\"/metadata/annotations/new\",\"value\":\"z\"}]");
    HttpResponse<String> failedTest =
        patch(
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/metadata/annotations/new\",\"value\":\"y\"}]");
    HttpResponse<String> apply = patch("application/apply-patch+yaml", "metadata: {}");

    assertThat(merge.statusCode()).isEqualTo(200);
    assertThat(jsonPatch.statusCode()).isEqualTo(200);
    assertThat(server.nodeAnnotations("n1")).contains(Map.of("new", "z"));
    assertThat(failedTest.statusCode()).isEqualTo(400);
    assertThat(apply.statusCode()).isEqualTo(415);
  }

  @Test
  void realisticNodesAreAboutThirteenKilobytes() throws Exception {
    String node = FakeNodes.realistic("worker-123", 123);

    assertThat(node.length()).isBetween(12_000, 14_000);
    JsonNode parsed = JSON.readTree(node);
    assertThat(parsed.at("/status/images").size()).isEqualTo(36);
    assertThat(parsed.at("/spec/podCIDRs/0").asText()).isEqualTo("10.0.123.0/24");
    assertThat(parsed.at("/status/addresses/0/address").asText()).isEqualTo("172.16.0.124");
    assertThat(FakeNodes.small("n", 65_535)).contains("\"10.255.255.0/24\"", "172.17.0.0");
  }

  // ---------------------------------------------------------------- helpers

  private List<JsonNode> watch(String query) throws IOException, InterruptedException {
    HttpResponse<java.util.stream.Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(server.url().resolve("/api/v1/nodes?watch=true&" + query))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    try (var lines = response.body()) {
      return lines.map(FakeApiServerTest::parse).toList();
    }
  }

  private JsonNode list(String query) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/api/v1/nodes?" + query);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode list = JSON.readTree(response.body());
    assertThat(list.get("kind").asText()).isEqualTo("NodeList");
    return list;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(server.url().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> patch(String type, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/nodes/n1"))
            .header("Content-Type", type)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> names(JsonNode list) {
    return list.get("items").valueStream().map(n -> n.at("/metadata/name").asText()).toList();
  }

  private static String withLabel(String node, String key, String value) {
    try {
      var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(node);
      ((com.fasterxml.jackson.databind.node.ObjectNode) tree.at("/metadata/labels"))
          .put(key, value);
      return JSON.writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + line, e);
    }
  }

  private void awaitWatch() {
    try {
      while (server.activeWatches() == 0) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
