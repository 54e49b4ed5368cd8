package io.xcluster.cni.router.nodes;

import static io.xcluster.cni.router.nodes.TestNodes.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerImage;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.xcluster.cni.annotations.NodeAnnotations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeProjectionTest {
  static final String CIDR = "cidr.example.com/net3";
  static final String ADDR = "addr.example.com/net3";
  final NodeProjection projection =
      new NodeProjection(new NodeAnnotations(Optional.of(CIDR), Optional.of(ADDR)));

  static V1Node fat() {
    V1Node n = peer("a", "10.1.0.0/24", "192.168.1.1");
    n.getMetadata()
        .annotations(
            new HashMap<>(
                Map.of(CIDR, "10.5.0.0/24", ADDR, "192.168.5.1", "node.alpha/other", "x")))
        .labels(Map.of("kubernetes.io/hostname", "a"));
    n.getStatus()
        .addConditionsItem(new V1NodeCondition().type("Ready").status("True"))
        .addImagesItem(new V1ContainerImage().names(List.of("registry/image:1")).sizeBytes(1L));
    return n;
  }

  @Test
  void slimKeepsOnlyWhatRoutesDependOn() {
    V1Node slim = projection.slim(fat());
    assertThat(slim.getMetadata().getName()).isEqualTo("a");
    assertThat(slim.getMetadata().getUid()).isNotNull();
    assertThat(slim.getMetadata().getResourceVersion()).isEqualTo("1");
    assertThat(slim.getMetadata().getCreationTimestamp()).isNotNull();
    assertThat(slim.getMetadata().getAnnotations()).containsOnlyKeys(CIDR, ADDR);
    assertThat(slim.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(slim.getStatus().getConditions()).isNullOrEmpty();
    assertThat(slim.getStatus().getImages()).isNullOrEmpty();
    assertThat(slim.getSpec().getPodCIDRs()).containsExactly("10.1.0.0/24");
    assertThat(projection.read(slim)).isEqualTo(projection.read(fat()));
  }

  @Test
  void slimNodesHoldNoEmptyCollections() {
    V1Node slim = projection.slim(peer("a", "10.1.0.0/24", "192.168.1.1"));
    V1ObjectMeta meta = slim.getMetadata();
    V1NodeStatus status = slim.getStatus();

    assertThat(meta.getAnnotations()).isNull();
    assertThat(meta.getFinalizers()).isNull();
    assertThat(meta.getLabels()).isNull();
    assertThat(meta.getManagedFields()).isNull();
    assertThat(meta.getOwnerReferences()).isNull();
    assertThat(slim.getSpec().getTaints()).isNull();
    assertThat(status.getAllocatable()).isNull();
    assertThat(status.getCapacity()).isNull();
    assertThat(status.getConditions()).isNull();
    assertThat(status.getImages()).isNull();
    assertThat(status.getRuntimeHandlers()).isNull();
    assertThat(status.getVolumesAttached()).isNull();
    assertThat(status.getVolumesInUse()).isNull();
  }

  @Test
  void slimNodesShareTheValuesTheyAllRepeat() {
    // Copies, as a decoder makes them; string literals would be one instance anyway.
    V1Node a = fat().apiVersion(new String("v1")).kind(new String("Node"));
    a.getSpec().podCIDR(new String("10.1.0.0/24"));
    a.getStatus().getAddresses().getFirst().type(new String("InternalIP"));
    V1Node slimA = projection.slim(a);
    V1Node slimB = projection.slim(peer("b", "10.2.0.0/24", "192.168.1.2"));

    assertThat(slimA.getApiVersion()).isEqualTo("v1").isSameAs(slimB.getApiVersion());
    assertThat(slimA.getKind()).isEqualTo("Node").isSameAs(slimB.getKind());
    assertThat(slimA.getStatus().getAddresses().getFirst().getType())
        .isSameAs(slimB.getStatus().getAddresses().getFirst().getType());
    assertThat(slimA.getSpec().getPodCIDR()).isSameAs(slimA.getSpec().getPodCIDRs().getFirst());
  }

  @Test
  void heartbeatsAndLabelsDoNotCount() {
    V1Node before = fat();
    V1Node after = fat();
    after.getMetadata().resourceVersion("2").labels(Map.of("new", "label"));
    after.getStatus().getConditions().getFirst().status("False");
    assertThat(projection.routesMayDiffer(before, after)).isFalse();
  }

  @Test
  void annotationsCidrsAndAddressesCount() {
    V1Node changed = fat();
    changed.getMetadata().putAnnotationsItem(CIDR, "10.6.0.0/24");
    assertThat(projection.routesMayDiffer(fat(), changed)).isTrue();

    changed = fat();
    changed.getSpec().addPodCIDRsItem("fd00::/64");
    assertThat(projection.routesMayDiffer(fat(), changed)).isTrue();

    changed = fat();
    changed.getStatus().addAddressesItem(new V1NodeAddress().type("InternalIP").address("fd00::1"));
    assertThat(projection.routesMayDiffer(fat(), changed)).isTrue();

    changed = fat();
    changed.getMetadata().putAnnotationsItem("node.alpha/other", "y");
    assertThat(projection.routesMayDiffer(fat(), changed)).isFalse();
  }

  @Test
  void theReadingCacheReadsAnObjectOnce() {
    NodeReadingCache cache = new NodeReadingCache(projection);
    V1Node a = fat();
    var first = cache.read(List.of(a)).getFirst();
    assertThat(cache.read(List.of(a)).getFirst()).isSameAs(first);
    assertThat(cache.read(List.of(fat())).getFirst()).isNotSameAs(first).isEqualTo(first);
  }
}
