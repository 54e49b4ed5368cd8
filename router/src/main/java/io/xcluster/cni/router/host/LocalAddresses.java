package io.xcluster.cni.router.host;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.router.route.PrefixKey;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of this host's own addresses and the prefixes its links reach directly. The planner
 * asks it three things: is this our own address, does a destination overlap what our links already
 * reach, and which link carries a given own address.
 *
 * <p>Lookups hash by address; prefix checks walk the (few) distinct connected prefixes.
 */
public final class LocalAddresses {
  private static final LocalAddresses NONE = new LocalAddresses(List.of());

  private final List<LinkAddress> links;
  private final Set<InetAddress> own = new HashSet<>();
  private final Map<InetAddress, String> deviceByAddress = new HashMap<>();

  /** The first link of each distinct connected prefix (every veth has the same fe80::/64). */
  private final Map<Cidr, LinkAddress> connected = new LinkedHashMap<>();

  /** The same prefixes as keys, for allocation-free overlap tests. */
  private final PrefixKey[] connectedKeys;

  private final LinkAddress[] connectedLinks;

  public LocalAddresses(List<LinkAddress> links) {
    this.links = List.copyOf(links);
    for (LinkAddress link : this.links) {
      own.add(link.address());
      // An address on two links identifies neither.
      if (deviceByAddress.putIfAbsent(link.address(), link.device()) != null
          && !deviceByAddress.get(link.address()).equals(link.device())) {
        deviceByAddress.put(link.address(), null);
      }
      connected.putIfAbsent(link.prefix(), link);
    }
    connectedKeys = connected.keySet().stream().map(PrefixKey::of).toArray(PrefixKey[]::new);
    connectedLinks = connected.values().toArray(LinkAddress[]::new);
  }

  /** No addresses at all: every check passes. For tools that run without a host view. */
  public static LocalAddresses none() {
    return NONE;
  }

  public List<LinkAddress> links() {
    return links;
  }

  /** Whether {@code address} is configured on one of this host's links. */
  public boolean isOwn(InetAddress address) {
    return own.contains(address);
  }

  /** The first connected prefix that shares an address with {@code dst}, if any. */
  public Optional<LinkAddress> reaching(Cidr dst) {
    if (connectedKeys.length == 0) {
      return Optional.empty();
    }
    PrefixKey key = PrefixKey.of(dst);
    for (int i = 0; i < connectedKeys.length; i++) {
      if (connectedKeys[i].overlaps(key)) {
        return Optional.of(connectedLinks[i]);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether some link reaches {@code gateway} directly. IPv6 link-local addresses are on every IPv6
   * link, so they count as reached when any link has IPv6.
   */
  public boolean onLink(InetAddress gateway) {
    if (links.isEmpty()) {
      return true;
    }
    for (Cidr prefix : connected.keySet()) {
      if (prefix.contains(gateway)) {
        return true;
      }
    }
    return gateway.isLinkLocalAddress()
        && links.stream().anyMatch(l -> IpFamily.of(l.address()) == IpFamily.IPV6);
  }

  /** The link that carries {@code address}, when exactly one does. */
  public Optional<String> deviceOf(InetAddress address) {
    return Optional.ofNullable(deviceByAddress.get(address));
  }

  /** Equal when the same addresses are on the same links, in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LocalAddresses other && links.equals(other.links);
  }

  @Override
  public int hashCode() {
    return links.hashCode();
  }

  @Override
  public String toString() {
    return links.toString();
  }
}
