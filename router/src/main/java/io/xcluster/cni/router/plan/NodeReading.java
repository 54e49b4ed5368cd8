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
 * @param name the Node's name
 * @param created when the Node claimed its CIDRs (its creationTimestamp); the oldest claim wins an
 *     overlap. {@link Instant#MAX} when unknown, so a Node without one never wins against one with.
 * @param cidrs the pod CIDRs; empty when they cannot be read
 * @param addresses the next-hop addresses; empty when they cannot be read
 * @param warnings values that were used, but not as written
 * @param cidrError why the CIDRs cannot be read
 * @param addressError why the addresses cannot be read
 */
public record NodeReading(
    String name,
    Instant created,
    Optional<List<Cidr>> cidrs,
    Optional<List<InetAddress>> addresses,
    List<String> warnings,
    Optional<String> cidrError,
    Optional<String> addressError) {

  public NodeReading {
    Objects.requireNonNull(name, "name");
    created = created == null ? Instant.MAX : created;
    cidrs = cidrs.map(List::copyOf);
    addresses = addresses.map(List::copyOf);
    warnings = List.copyOf(warnings);
    if (cidrs.isPresent() == cidrError.isPresent()) {
      throw new IllegalArgumentException("CIDRs or a reason why there are none, not both");
    }
    if (addresses.isPresent() == addressError.isPresent()) {
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

  /** Whether both fields could be read. */
  public boolean readable() {
    return cidrs.isPresent() && addresses.isPresent();
  }

  /** Every error and warning, errors first. */
  public List<String> problems() {
    List<String> all = new ArrayList<>(warnings.size() + 2);
    cidrError.ifPresent(all::add);
    addressError.ifPresent(all::add);
    all.addAll(warnings);
    return all;
  }
}
