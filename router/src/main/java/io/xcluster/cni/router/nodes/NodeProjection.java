package io.xcluster.cni.router.nodes;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.annotations.NodeFields;
import io.xcluster.cni.router.plan.NodeReading;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a Node the router uses: name, uid, creationTimestamp, resourceVersion, the configured
 * annotations, {@code spec.podCIDRs} and the InternalIP entries of {@code status.addresses}.
 * Everything else (images, conditions, daemon endpoints, managed fields) is dropped before it
 * reaches the informer cache, and a change elsewhere triggers no work.
 */
public final class NodeProjection {
  private final NodeAnnotations annotations;

  public NodeProjection(NodeAnnotations annotations) {
    this.annotations = annotations;
  }

  public NodeAnnotations annotations() {
    return annotations;
  }

  /**
   * A Node the router made: only the fields it uses, and no empty collections (client-java's models
   * start with several each, which thousands of cached Nodes would pay for).
   */
  static final class SlimNode extends V1Node {}

  /**
   * A new Node holding only the fields the router uses (the informer's transform). A Node that is
   * already slim is returned as it is.
   */
  public V1Node slim(V1Node node) {
    if (node instanceof SlimNode) {
      return node;
    }
    V1ObjectMeta meta = node.getMetadata() == null ? new V1ObjectMeta() : node.getMetadata();
    V1NodeSpec spec = node.getSpec();
    List<V1NodeAddress> internal =
        addresses(node).stream()
            .filter(a -> a != null && INTERNAL_IP.equals(a.getType()))
            .map(a -> new V1NodeAddress().type(INTERNAL_IP).address(a.getAddress()))
            .toList();
    return slimNode(
        node.getApiVersion(),
        node.getKind(),
        new V1ObjectMeta()
            .name(meta.getName())
            .uid(meta.getUid())
            .creationTimestamp(meta.getCreationTimestamp())
            .resourceVersion(meta.getResourceVersion()),
        keptAnnotations(meta.getAnnotations()),
        spec == null ? null : spec.getPodCIDR(),
        spec == null ? null : spec.getPodCIDRs(),
        internal);
  }

  static final String INTERNAL_IP = "InternalIP";

  static final String API_VERSION = "v1";

  static final String KIND = "Node";

  /**
   * The one instance of a value that every Node repeats ({@code v1}, {@code Node}, {@code
   * InternalIP}); any other value as it is. Thousands of cached Nodes then hold one copy, not one
   * each.
   */
  static String shared(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case API_VERSION -> API_VERSION;
      case KIND -> KIND;
      case INTERNAL_IP -> INTERNAL_IP;
      default -> value;
    };
  }

  /** Whether the router reads this annotation (the slim Node keeps it). */
  boolean keeps(String annotation) {
    return annotations.cidrAnnotation().filter(annotation::equals).isPresent()
        || annotations.addressAnnotation().filter(annotation::equals).isPresent();
  }

  /**
   * The one place a slim Node is made, from an API object ({@link #slim}) or straight from the
   * API's JSON ({@link NodeJson}): {@code meta} holds name, uid, creation time and resource
   * version; {@code internal} only InternalIP addresses, whose type is {@link #INTERNAL_IP} itself.
   * Values that all Nodes repeat are {@link #shared}, and {@code podCidr} is the first of {@code
   * podCidrs} when it equals it (as the API server sets them), not a second copy.
   */
  static V1Node slimNode(
      String apiVersion,
      String kind,
      V1ObjectMeta meta,
      Map<String, String> keptAnnotations,
      String podCidr,
      List<String> podCidrs,
      List<V1NodeAddress> internal) {
    meta.setAnnotations(keptAnnotations.isEmpty() ? null : keptAnnotations);
    meta.setFinalizers(null);
    meta.setLabels(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    V1Node slim = new SlimNode();
    slim.setApiVersion(shared(apiVersion));
    slim.setKind(shared(kind));
    slim.setMetadata(meta);
    List<String> cidrs = podCidrs == null || podCidrs.isEmpty() ? null : List.copyOf(podCidrs);
    if (podCidr != null || cidrs != null) {
      String first = cidrs == null ? null : cidrs.getFirst();
      V1NodeSpec slimSpec =
          new V1NodeSpec().podCIDR(podCidr != null && podCidr.equals(first) ? first : podCidr);
      slimSpec.setPodCIDRs(cidrs);
      slimSpec.setTaints(null);
      slim.setSpec(slimSpec);
    }
    if (!internal.isEmpty()) {
      V1NodeStatus slimStatus = new V1NodeStatus();
      slimStatus.setAddresses(List.copyOf(internal));
      slimStatus.setAllocatable(null);
      slimStatus.setCapacity(null);
      slimStatus.setConditions(null);
      slimStatus.setImages(null);
      slimStatus.setRuntimeHandlers(null);
      slimStatus.setVolumesAttached(null);
      slimStatus.setVolumesInUse(null);
      slim.setStatus(slimStatus);
    }
    return slim;
  }

  private Map<String, String> keptAnnotations(Map<String, String> all) {
    Map<String, String> kept = new HashMap<>(2);
    if (all != null) {
      annotations.cidrAnnotation().ifPresent(k -> putIfPresent(kept, k, all.get(k)));
      annotations.addressAnnotation().ifPresent(k -> putIfPresent(kept, k, all.get(k)));
    }
    return kept;
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /**
   * Whether the update from {@code before} to {@code after} can change a route: the configured
   * annotations, the pod CIDRs, the addresses, or the creation time (a Node deleted and created
   * again under the same name). Heartbeats change none of these.
   */
  public boolean routesMayDiffer(V1Node before, V1Node after) {
    V1ObjectMeta a = before.getMetadata();
    V1ObjectMeta b = after.getMetadata();
    if (a == null || b == null) {
      return a != b;
    }
    return !Objects.equals(a.getUid(), b.getUid())
        || !Objects.equals(a.getCreationTimestamp(), b.getCreationTimestamp())
        || !keptAnnotations(a.getAnnotations()).equals(keptAnnotations(b.getAnnotations()))
        || !Objects.equals(podCidrs(before), podCidrs(after))
        || !Objects.equals(addresses(before), addresses(after));
  }

  /** The Node as the annotations library reads it. */
  public NodeFields fields(V1Node node) {
    V1ObjectMeta meta = node.getMetadata();
    String name = meta == null || meta.getName() == null ? "" : meta.getName();
    Map<String, String> ann = meta == null ? null : meta.getAnnotations();
    List<NodeFields.Address> addresses =
        addresses(node).stream()
            .map(a -> new NodeFields.Address(a.getType(), a.getAddress()))
            .toList();
    return new NodeFields(name, ann, podCidrs(node), addresses);
  }

  /** Reads the Node's CIDRs and addresses; never throws on bad values. */
  public NodeReading read(V1Node node) {
    return NodeReading.read(fields(node), created(node), annotations);
  }

  /** When the Node was created; {@link Instant#MAX} when the object does not say. */
  public static Instant created(V1Node node) {
    return Optional.ofNullable(node.getMetadata())
        .map(V1ObjectMeta::getCreationTimestamp)
        .map(t -> t.toInstant())
        .orElse(Instant.MAX);
  }

  /** {@code spec.podCIDRs}, or the older single {@code spec.podCIDR} when only that is set. */
  private static List<String> podCidrs(V1Node node) {
    V1NodeSpec spec = node.getSpec();
    if (spec == null) {
      return List.of();
    }
    if (spec.getPodCIDRs() != null && !spec.getPodCIDRs().isEmpty()) {
      return spec.getPodCIDRs();
    }
    return spec.getPodCIDR() == null ? List.of() : List.of(spec.getPodCIDR());
  }

  private static List<V1NodeAddress> addresses(V1Node node) {
    V1NodeStatus status = node.getStatus();
    return status == null || status.getAddresses() == null ? List.of() : status.getAddresses();
  }
}
