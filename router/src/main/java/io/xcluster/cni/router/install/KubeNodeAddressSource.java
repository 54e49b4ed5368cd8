package io.xcluster.cni.router.install;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.xcluster.cni.annotations.AnnotationFormatException;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Reads the node's addresses from its Node object with one GET: the address annotation when one is
 * configured, else the InternalIPs, by the same rules the router uses for next hops.
 */
public final class KubeNodeAddressSource implements NodeAddressSource {
  private final CoreV1Api api;
  private final NodeAnnotations rules;

  public KubeNodeAddressSource(ApiClient client, Optional<String> addressAnnotation) {
    this.api = new CoreV1Api(client);
    this.rules = new NodeAnnotations(Optional.empty(), addressAnnotation);
  }

  @Override
  public List<InetAddress> addresses(String nodeName) throws IOException {
    V1Node node;
    try {
      node = api.readNode(nodeName).execute();
    } catch (ApiException e) {
      throw new IOException(
          "cannot read Node " + nodeName + ": HTTP " + e.getCode() + " " + e.getMessage(), e);
    }
    try {
      return rules.addresses(fields(node));
    } catch (AnnotationFormatException e) {
      throw new IOException("Node " + nodeName + ": " + e.getMessage(), e);
    }
  }

  static NodeFields fields(V1Node node) {
    List<NodeFields.Address> addresses =
        node.getStatus() == null || node.getStatus().getAddresses() == null
            ? List.of()
            : node.getStatus().getAddresses().stream()
                .map((V1NodeAddress a) -> new NodeFields.Address(a.getType(), a.getAddress()))
                .toList();
    return new NodeFields(
        node.getMetadata() == null ? null : node.getMetadata().getName(),
        node.getMetadata() == null ? null : node.getMetadata().getAnnotations(),
        node.getSpec() == null ? null : node.getSpec().getPodCIDRs(),
        addresses);
  }
}
