package io.xcluster.cni.router.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Node;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodesFileTest {
  /** Trimmed from real {@code kubectl get nodes -o yaml} output; extra fields are ignored. */
  static final String KUBECTL_YAML =
      """
      apiVersion: v1
      items:
      - apiVersion: v1
        kind: Node
        metadata:
          annotations:
            cidr.example.com/net3: 172.20.1.0/24
            node.alpha.kubernetes.io/ttl: "0"
          creationTimestamp: "2024-05-01T10:00:00Z"
          labels:
            kubernetes.io/hostname: worker-1
          name: worker-1
          resourceVersion: "1234"
          uid: 3f1c2d4e-0000-0000-0000-000000000001
        spec:
          podCIDR: 10.244.1.0/24
          podCIDRs:
          - 10.244.1.0/24
          - fd00:10:244:1::/64
          taints: []
        status:
          addresses:
          - address: 192.168.1.11
            type: InternalIP
          - address: worker-1
            type: Hostname
          conditions:
          - type: Ready
            status: "True"
          nodeInfo:
            kubeletVersion: v1.33.0
          someFutureField: {a: 1}
      - apiVersion: v1
        kind: Node
        metadata:
          name: worker-2
          creationTimestamp: 2024-05-02T10:00:00Z
        spec: {}
        status: {}
      kind: List
      metadata:
        resourceVersion: ""
      """;

  static final String KUBECTL_JSON =
      """
      {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
          {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "worker-1", "creationTimestamp": "2024-05-01T10:00:00Z"},
            "spec": {"podCIDRs": ["10.244.1.0/24"]},
            "status": {"addresses": [{"type": "InternalIP", "address": "192.168.1.11"}]}
          }
        ]
      }
      """;

  @Test
  void readsKubectlYaml() {
    List<V1Node> nodes = NodesFile.parse(KUBECTL_YAML);
    assertThat(nodes)
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("worker-1", "worker-2");
    V1Node w1 = nodes.getFirst();
    assertThat(w1.getMetadata().getAnnotations())
        .containsEntry("cidr.example.com/net3", "172.20.1.0/24");
    assertThat(w1.getMetadata().getCreationTimestamp())
        .isEqualTo(OffsetDateTime.parse("2024-05-01T10:00:00Z"));
    assertThat(w1.getMetadata().getUid()).isEqualTo("3f1c2d4e-0000-0000-0000-000000000001");
    assertThat(w1.getSpec().getPodCIDRs()).containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");
    assertThat(w1.getStatus().getAddresses()).hasSize(2);
    assertThat(nodes.get(1).getMetadata().getCreationTimestamp())
        .as("an unquoted YAML timestamp")
        .isEqualTo(OffsetDateTime.parse("2024-05-02T10:00:00Z"));
  }

  @Test
  void readsKubectlJson() {
    assertThat(NodesFile.parse(KUBECTL_JSON))
        .singleElement()
        .satisfies(n -> assertThat(n.getSpec().getPodCIDRs()).containsExactly("10.244.1.0/24"));
  }

  @Test
  void readsSingleNodesAndSeveralDocuments() {
    String text =
        """
        kind: Node
        metadata: {name: a}
        ---
        metadata: {name: b}
        ---
        """;
    assertThat(NodesFile.parse(text))
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("a", "b");
    assertThat(NodesFile.parse("")).isEmpty();
  }

  @Test
  void rejectsWhatIsNotNodesWithTheReason() {
    assertThatThrownBy(() -> NodesFile.parse("items: {}"))
        .hasMessageContaining("items is not a list");
    assertThatThrownBy(
            () -> NodesFile.parse("kind: List\nitems:\n- kind: Pod\n  metadata: {name: p}"))
        .hasMessageContaining("items[0] is a Pod, not a Node");
    assertThatThrownBy(() -> NodesFile.parse("items:\n- metadata: {}"))
        .hasMessageContaining("items[0] has no metadata.name");
    assertThatThrownBy(() -> NodesFile.parse("just text")).hasMessageContaining("not an object");
    assertThatThrownBy(() -> NodesFile.parse("{\"items\": [")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> NodesFile.parse("metadata: {name: a, creationTimestamp: yesterday}"))
        .hasMessageContaining("not an RFC 3339 time");
  }
}
