package io.xcluster.cni.router.nodes;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Builds V1Node objects for tests: {@code TestNodes.node("a").podCidrs(...).internalIp(...)}. */
public final class TestNodes {
  private TestNodes() {}

  public static V1Node node(String name) {
    return new V1Node()
        .apiVersion("v1")
        .kind("Node")
        .metadata(
            new V1ObjectMeta()
                .name(name)
                .uid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .resourceVersion("1")
                .creationTimestamp(OffsetDateTime.parse("2024-01-01T00:00:00Z")))
        .spec(new V1NodeSpec())
        .status(new V1NodeStatus());
  }

  public static V1Node withPodCidrs(V1Node node, String... cidrs) {
    for (String c : cidrs) {
      node.getSpec().addPodCIDRsItem(c);
    }
    return node;
  }

  public static V1Node withInternalIp(V1Node node, String... ips) {
    for (String ip : ips) {
      node.getStatus().addAddressesItem(new V1NodeAddress().type("InternalIP").address(ip));
    }
    return node;
  }

  public static V1Node peer(String name, String cidr, String ip) {
    return withInternalIp(withPodCidrs(node(name), cidr), ip);
  }
}
