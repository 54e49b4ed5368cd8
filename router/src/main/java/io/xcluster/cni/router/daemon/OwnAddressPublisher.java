package io.xcluster.cni.router.daemon;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.PatchUtils;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalLinks;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --address-interface eth2}: writes this Node's addresses on that link into the address
 * annotation, so an admin annotates only the CIDRs of a secondary network. Global addresses only
 * (no IPv6 link-local), IPv4 first, then in the link's order; written only when the value differs.
 */
public final class OwnAddressPublisher {
  private static final Logger log = LoggerFactory.getLogger(OwnAddressPublisher.class);

  private final LocalLinks links;
  private final String device;
  private final String annotation;
  private final String node;
  private final NodeAnnotationWriter writer;
  private String lastWritten;

  /** How the annotation gets onto the Node. */
  @FunctionalInterface
  public interface NodeAnnotationWriter {
    void write(String node, String key, String value) throws IOException;
  }

  public OwnAddressPublisher(
      LocalLinks links,
      String device,
      String annotation,
      String node,
      NodeAnnotationWriter writer) {
    this.links = links;
    this.device = device;
    this.annotation = annotation;
    this.node = node;
    this.writer = writer;
  }

  /** A writer that merge-patches the Node through the API client, asked for at the first write. */
  public static NodeAnnotationWriter kube(Supplier<ApiClient> clients) {
    return (node, key, value) -> {
      ApiClient client = clients.get();
      CoreV1Api api = new CoreV1Api(client);
      String patch =
          "{\"metadata\":{\"annotations\":{"
              + JSON.serialize(key)
              + ":"
              + JSON.serialize(value)
              + "}}}";
      try {
        PatchUtils.patch(
            V1Node.class,
            () -> api.patchNode(node, new V1Patch(patch)).buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
            client);
      } catch (ApiException e) {
        throw new IOException(
            "annotating Node " + node + " failed: HTTP " + e.getCode() + " " + e.getMessage(), e);
      }
    };
  }

  /** The annotation value for the link's current addresses; empty when it has none. */
  public String value() throws IOException {
    List<LinkAddress> addresses =
        links.read().links().stream()
            .filter(a -> a.device().equals(device))
            .filter(a -> !a.address().isLinkLocalAddress() && !a.address().isLoopbackAddress())
            .sorted(Comparator.comparing(a -> IpFamily.of(a.address())))
            .toList();
    return String.join(
        ",", addresses.stream().map(a -> IpLiteral.format(a.address())).distinct().toList());
  }

  /**
   * Writes the annotation if the addresses changed since the last write.
   *
   * @return whether it wrote
   */
  public synchronized boolean publish() {
    try {
      String value = value();
      if (value.isEmpty()) {
        log.warn("Link {} has no global address; {} is left as it is", device, annotation);
        return false;
      }
      if (Objects.equals(value, lastWritten)) {
        return false;
      }
      writer.write(node, annotation, value);
      log.info("Annotated Node {}: {}={}", node, annotation, value);
      lastWritten = value;
      return true;
    } catch (IOException e) {
      log.warn("Cannot publish the addresses of {}: {}", device, e.getMessage());
      return false;
    }
  }
}
