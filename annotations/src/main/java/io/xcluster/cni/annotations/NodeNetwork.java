package io.xcluster.cni.annotations;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What one Node contributes to a network: its pod CIDRs and its next-hop addresses, canonical and
 * in the order given, plus warnings about values that were usable but not as written.
 */
public record NodeNetwork(
    String node, List<Cidr> cidrs, List<InetAddress> addresses, List<String> warnings) {

  public NodeNetwork {
    cidrs = List.copyOf(cidrs);
    addresses = List.copyOf(addresses);
    warnings = List.copyOf(warnings);
  }

  /** The next hop for a CIDR: the first address of the CIDR's family. */
  public Optional<InetAddress> gatewayFor(Cidr cidr) {
    return gateway(cidr.family());
  }

  /** The first address of a family. */
  public Optional<InetAddress> gateway(IpFamily family) {
    return addresses.stream().filter(a -> IpFamily.of(a) == family).findFirst();
  }

  /**
   * Whether a route via this next hop needs an outgoing device: true for IPv6 link-local ({@code
   * fe80::/10}) addresses, which are only unique per link.
   */
  public static boolean needsDevice(InetAddress gateway) {
    return IpFamily.of(gateway) == IpFamily.IPV6 && gateway.isLinkLocalAddress();
  }
}
