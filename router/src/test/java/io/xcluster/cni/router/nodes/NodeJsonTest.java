package io.xcluster.cni.router.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.Watch;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.testing.FakeNodes;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The streaming decoder makes exactly what client-java's models, then the projection, make. */
class NodeJsonTest {
  static final String CIDR = "cidr.example.com/net3";
  static final String ADDRESS = "address.example.com/net3";

  final NodeProjection projection =
      new NodeProjection(new NodeAnnotations(Optional.of(CIDR), Optional.of(ADDRESS)));
  final NodeJson json = new NodeJson(projection);

  static Stream<String> nodes() {
    return Stream.of(
        FakeNodes.realistic("busy", 7, Map.of(CIDR, "172.20.7.0/24", ADDRESS, "192.168.7.1")),
        FakeNodes.realistic("plain", 300),
        FakeNodes.small("small", 1, Map.of(CIDR, " 172.20.1.0/24 , fd00:5::/112 ")),
        FakeNodes.small("small", 65535),
        """
        {"metadata":{"name":"bare"}}""",
        """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"old","annotations":{"other":"x"},
         "creationTimestamp":"2024-01-02T03:04:05.123456Z"},
         "spec":{"podCIDR":"10.9.0.0/24"},
         "status":{"addresses":[{"type":"ExternalIP","address":"1.2.3.4"},
           {"type":"InternalIP","address":"172.16.9.9"},{"type":"Hostname","address":"old"}]}}""");
  }

  @ParameterizedTest
  @MethodSource("nodes")
  void decodesWhatTheModelsAndTheProjectionMake(String node) throws IOException {
    V1Node expected = projection.slim(new JSON().deserialize(node, V1Node.class));

    V1NodeList list =
        json.readList(
            new StringReader(
                "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"42\"},"
                    + "\"items\":["
                    + node
                    + "]}"));

    assertThat(list.getItems()).containsExactly(expected);
    assertThat(list.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(list.getMetadata().getContinue()).isNull();
    assertThat(projection.read(list.getItems().getFirst()))
        .isEqualTo(projection.read(new JSON().deserialize(node, V1Node.class)));
  }

  @Test
  void nodesShareTheValuesTheyAllRepeat() throws IOException {
    V1NodeList list =
        json.readList(
            new StringReader(
                "{\"items\":["
                    + FakeNodes.realistic("a", 1)
                    + ","
                    + FakeNodes.realistic("b", 2)
                    + "]}"));
    V1Node a = list.getItems().get(0);
    V1Node b = list.getItems().get(1);

    assertThat(a.getApiVersion()).isEqualTo("v1").isSameAs(b.getApiVersion());
    assertThat(a.getKind()).isEqualTo("Node").isSameAs(b.getKind());
    assertThat(
            Stream.concat(
                a.getStatus().getAddresses().stream(), b.getStatus().getAddresses().stream()))
        .hasSize(4)
        .allSatisfy(address -> assertThat(address.getType()).isSameAs(NodeProjection.INTERNAL_IP));
    assertThat(a.getSpec().getPodCIDR()).isSameAs(a.getSpec().getPodCIDRs().getFirst());
  }

  @Test
  void keepsTheContinueTokenAndAnEmptyList() throws IOException {
    V1NodeList list =
        json.readList(
            new StringReader(
                "{\"metadata\":{\"resourceVersion\":\"7\",\"continue\":\"abc\","
                    + "\"remainingItemCount\":3},\"items\":[]}"));
    assertThat(list.getItems()).isEmpty();
    assertThat(list.getMetadata().getContinue()).isEqualTo("abc");
    assertThat(list.getMetadata().getRemainingItemCount()).isEqualTo(3L);

    assertThat(json.readList(new StringReader("{\"items\":null}")).getItems()).isEmpty();
  }

  @Test
  void skipsValuesOfTheWrongTypeAsIfAbsent() throws IOException {
    V1NodeList list =
        json.readList(
            new StringReader(
                """
                {"items":[{"metadata":{"name":"odd","annotations":{"cidr.example.com/net3":5},
                  "creationTimestamp":"yesterday"},"spec":{"podCIDRs":"10.0.0.0/24"},
                  "status":{"addresses":{"type":"InternalIP"}}},
                  {"metadata":{"name":"fine"},"spec":{"podCIDRs":["10.1.0.0/24",null]}}]}"""));

    assertThat(list.getItems()).hasSize(2);
    V1Node odd = list.getItems().getFirst();
    assertThat(odd.getMetadata().getName()).isEqualTo("odd");
    assertThat(odd.getMetadata().getAnnotations()).isNull();
    assertThat(odd.getMetadata().getCreationTimestamp()).isNull();
    assertThat(odd.getSpec()).isNull();
    assertThat(odd.getStatus()).isNull();
    assertThat(list.getItems().get(1).getSpec().getPodCIDRs()).containsExactly("10.1.0.0/24");
  }

  @Test
  void rejectsWhatIsNotJson() {
    assertThatThrownBy(() -> json.readList(new StringReader("<html>")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> json.readList(new StringReader("{\"items\":[{\"metadata\":")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void readsWatchEvents() throws IOException {
    String node = FakeNodes.realistic("n1", 1, Map.of(CIDR, "172.20.1.0/24"));
    V1Node expected = projection.slim(new JSON().deserialize(node, V1Node.class));

    Watch.Response<V1Node> added = json.readEvent("{\"type\":\"ADDED\",\"object\":" + node + "}");
    assertThat(added.type).isEqualTo("ADDED");
    assertThat(added.object).isEqualTo(expected);

    Watch.Response<V1Node> reversed =
        json.readEvent("{\"object\":" + node + ",\"type\":\"MODIFIED\"}");
    assertThat(reversed.type).isEqualTo("MODIFIED");
    assertThat(reversed.object).isEqualTo(expected);

    Watch.Response<V1Node> bookmark =
        json.readEvent(
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Node\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"resourceVersion\":\"99\"}}}");
    assertThat(bookmark.object.getMetadata().getResourceVersion()).isEqualTo("99");

    for (String line :
        List.of(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\","
                + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}",
            "{\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\","
                + "\"message\":\"too old resource version\"},\"type\":\"ERROR\"}")) {
      Watch.Response<V1Node> error = json.readEvent(line);
      assertThat(error.type).isEqualTo("ERROR");
      assertThat(error.object).isNull();
      assertThat(error.status.getCode()).isEqualTo(410);
      assertThat(error.status.getReason()).isEqualTo("Expired");
    }

    assertThatThrownBy(() -> json.readEvent("{\"object\":{}}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without a type");
    assertThatThrownBy(() -> json.readEvent("{\"type\":\"ADDED\"}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without an object");
  }
}
