package io.xcluster.cni.annotations;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Node's pod CIDRs and next-hop addresses the way the router and the kube-node plugin both
 * must, so the two always agree.
 *
 * <p>Precedence, as in the original xcluster-cni: when a CIDR annotation name is configured, that
 * annotation is the only source of CIDRs (absent means none); otherwise {@code spec.podCIDRs}. When
 * an address annotation name is configured, it is the only source of addresses; otherwise the
 * {@code status.addresses} of type InternalIP.
 */
public final class NodeAnnotations {
  /** The key reported for problems in {@code spec.podCIDRs}. */
  public static final String POD_CIDRS = "spec.podCIDRs";

  /** The key reported for problems in {@code status.addresses}. */
  public static final String ADDRESSES = "status.addresses";

  private final Optional<String> cidrAnnotation;
  private final Optional<String> addressAnnotation;

  /**
   * @param cidrAnnotation the annotation holding the CIDRs, or empty/blank for spec.podCIDRs
   * @param addressAnnotation the annotation holding the addresses, or empty/blank for InternalIP
   * @throws IllegalArgumentException when a name is not a valid annotation name
   */
  public NodeAnnotations(Optional<String> cidrAnnotation, Optional<String> addressAnnotation) {
    this.cidrAnnotation = cidrAnnotation.filter(s -> !s.isBlank()).map(AnnotationKey::validate);
    this.addressAnnotation =
        addressAnnotation.filter(s -> !s.isBlank()).map(AnnotationKey::validate);
  }

  /** Spec fields only: spec.podCIDRs and InternalIP. */
  public static NodeAnnotations fromSpec() {
    return new NodeAnnotations(Optional.empty(), Optional.empty());
  }

  public Optional<String> cidrAnnotation() {
    return cidrAnnotation;
  }

  public Optional<String> addressAnnotation() {
    return addressAnnotation;
  }

  /**
   * Reads both the CIDRs and the addresses of a Node.
   *
   * @throws AnnotationFormatException for the first value that cannot be used
   */
  public NodeNetwork read(NodeFields node) {
    AnnotationValues.CidrList cidrs = cidrs(node);
    List<InetAddress> addresses = addresses(node);
    NodeNetwork network = new NodeNetwork(node.name(), cidrs.cidrs(), addresses, List.of());
    List<String> warnings = new ArrayList<>(cidrs.warnings());
    for (Cidr cidr : cidrs.cidrs()) {
      network
          .gatewayFor(cidr)
          .filter(NodeNetwork::needsDevice)
          .ifPresent(
              gw ->
                  warnings.add(
                      "next hop "
                          + IpLiteral.format(gw)
                          + " for "
                          + cidr
                          + " is IPv6 link-local: a route via it needs an outgoing device"));
    }
    return new NodeNetwork(node.name(), cidrs.cidrs(), addresses, warnings);
  }

  /**
   * The Node's pod CIDRs.
   *
   * @throws AnnotationFormatException when a value is malformed
   */
  public AnnotationValues.CidrList cidrs(NodeFields node) {
    if (cidrAnnotation.isPresent()) {
      String key = cidrAnnotation.get();
      String value = node.annotations().get(key);
      return value == null
          ? new AnnotationValues.CidrList(List.of(), List.of())
          : AnnotationValues.parseCidrs(key, value);
    }
    return AnnotationValues.parseCidrItems(POD_CIDRS, node.podCidrs());
  }

  /**
   * The Node's next-hop addresses.
   *
   * @throws AnnotationFormatException when a value is malformed
   */
  public List<InetAddress> addresses(NodeFields node) {
    if (addressAnnotation.isPresent()) {
      String key = addressAnnotation.get();
      String value = node.annotations().get(key);
      return value == null ? List.of() : AnnotationValues.parseAddresses(key, value);
    }
    List<String> internal =
        node.addresses().stream()
            .filter(a -> "InternalIP".equals(a.type()))
            .map(NodeFields.Address::address)
            .toList();
    return AnnotationValues.parseAddressItems(ADDRESSES, internal);
  }
}
