package io.xcluster.cni.router.plan;

import io.xcluster.cni.annotations.AnnotationFormatException;
import io.xcluster.cni.annotations.AnnotationValues;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.annotations.NodeFields;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router read from one Node. The CIDRs and the addresses are read separately, so a
 * malformed address annotation does not hide the CIDRs (and the other way round): the planner uses
 * what is readable to keep the node's installed routes while its input is bad.
 *
 * <p>A value class with the accessors, {@code equals} and {@code hashCode} a record of these
 * components would have. It is not a record because one is kept per Node between reconciles, and a
 * record would hold an {@link Optional} per field; this holds null for an absent value and makes
 * the {@code Optional} when asked.
 */
public final class NodeReading {
  private final String name;
  private final Instant created;
  private final List<Cidr> cidrs;
  private final List<InetAddress> addresses;
  private final List<String> warnings;
  private final String cidrError;
  private final String addressError;

  /**
   * @param name the Node's name
   * @param created when the Node claimed its CIDRs (its creationTimestamp); the oldest claim wins
   *     an overlap. {@link Instant#MAX} when unknown, so a Node without one never wins against one
   *     with.
   * @param cidrs the pod CIDRs; empty when they cannot be read
   * @param addresses the next-hop addresses; empty when they cannot be read
   * @param warnings values that were used, but not as written
   * @param cidrError why the CIDRs cannot be read
   * @param addressError why the addresses cannot be read
   */
  public NodeReading(
      String name,
      Instant created,
      Optional<List<Cidr>> cidrs,
      Optional<List<InetAddress>> addresses,
      List<String> warnings,
      Optional<String> cidrError,
      Optional<String> addressError) {
    this.name = Objects.requireNonNull(name, "name");
    this.created = created == null ? Instant.MAX : created;
    this.cidrs = cidrs.map(List::copyOf).orElse(null);
    this.addresses = addresses.map(List::copyOf).orElse(null);
    this.warnings = List.copyOf(warnings);
    this.cidrError = cidrError.orElse(null);
    this.addressError = addressError.orElse(null);
    if ((this.cidrs == null) == (this.cidrError == null)) {
      throw new IllegalArgumentException("CIDRs or a reason why there are none, not both");
    }
    if ((this.addresses == null) == (this.addressError == null)) {
      throw new IllegalArgumentException("addresses or a reason why there are none, not both");
    }
  }

  /** A Node whose fields all read cleanly. */
  public static NodeReading of(
      String name, Instant created, List<Cidr> cidrs, List<InetAddress> addresses) {
    return new NodeReading(
        name,
        created,
        Optional.of(cidrs),
        Optional.of(addresses),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** Reads a Node's fields the way {@code annotations} says, never throwing on bad input. */
  public static NodeReading read(NodeFields node, Instant created, NodeAnnotations annotations) {
    List<String> warnings = new ArrayList<>();
    Optional<List<Cidr>> cidrs = Optional.empty();
    Optional<String> cidrError = Optional.empty();
    try {
      AnnotationValues.CidrList list = annotations.cidrs(node);
      warnings.addAll(list.warnings());
      cidrs = Optional.of(list.cidrs());
    } catch (AnnotationFormatException e) {
      cidrError = Optional.of(e.getMessage());
    }
    Optional<List<InetAddress>> addresses = Optional.empty();
    Optional<String> addressError = Optional.empty();
    try {
      addresses = Optional.of(annotations.addresses(node));
    } catch (AnnotationFormatException e) {
      addressError = Optional.of(e.getMessage());
    }
    return new NodeReading(
        node.name(), created, cidrs, addresses, warnings, cidrError, addressError);
  }

  /** The Node's name. */
  public String name() {
    return name;
  }

  /** When the Node claimed its CIDRs (its creationTimestamp); {@link Instant#MAX} when unknown. */
  public Instant created() {
    return created;
  }

  /** The pod CIDRs; empty when they cannot be read. */
  public Optional<List<Cidr>> cidrs() {
    return Optional.ofNullable(cidrs);
  }

  /** The next-hop addresses; empty when they cannot be read. */
  public Optional<List<InetAddress>> addresses() {
    return Optional.ofNullable(addresses);
  }

  /** Values that were used, but not as written. */
  public List<String> warnings() {
    return warnings;
  }

  /** Why the CIDRs cannot be read. */
  public Optional<String> cidrError() {
    return Optional.ofNullable(cidrError);
  }

  /** Why the addresses cannot be read. */
  public Optional<String> addressError() {
    return Optional.ofNullable(addressError);
  }

  /** Whether both fields could be read. */
  public boolean readable() {
    return cidrs != null && addresses != null;
  }

  /** Every error and warning, errors first. */
  public List<String> problems() {
    List<String> all = new ArrayList<>(warnings.size() + 2);
    if (cidrError != null) {
      all.add(cidrError);
    }
    if (addressError != null) {
      all.add(addressError);
    }
    all.addAll(warnings);
    return all;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeReading r
        && name.equals(r.name)
        && created.equals(r.created)
        && Objects.equals(cidrs, r.cidrs)
        && Objects.equals(addresses, r.addresses)
        && warnings.equals(r.warnings)
        && Objects.equals(cidrError, r.cidrError)
        && Objects.equals(addressError, r.addressError);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, created, cidrs, addresses, warnings, cidrError, addressError);
  }

  /** As a record would print it. */
  @Override
  public String toString() {
    return "NodeReading[name="
        + name
        + ", created="
        + created
        + ", cidrs="
        + cidrs()
        + ", addresses="
        + addresses()
        + ", warnings="
        + warnings
        + ", cidrError="
        + cidrError()
        + ", addressError="
        + addressError()
        + "]";
  }
}
