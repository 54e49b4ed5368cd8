package io.xcluster.cni.router.netlink;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import java.net.InetAddress;
import java.util.List;

/**
 * A network interface as the kernel reports it.
 *
 * @param name interface name, e.g. {@code eth0}
 * @param index ifindex
 * @param mtu IFLA_MTU
 * @param up administratively up and with a carrier ({@code IFF_UP} and {@code IFF_LOWER_UP})
 * @param addresses the interface's addresses, IPv4 and IPv6 (link-local included)
 */
public record LinkInfo(String name, int index, int mtu, boolean up, List<Address> addresses) {
  public LinkInfo {
    addresses = List.copyOf(addresses);
  }

  /**
   * An interface address and the prefix it is on. {@link Cidr} is a canonical prefix, so the
   * address itself is kept next to it.
   *
   * @param address the address, e.g. 192.168.9.1
   * @param prefix the on-link prefix, e.g. 192.168.9.0/24
   */
  public record Address(InetAddress address, Cidr prefix) {
    /** {@code 192.168.9.1/24}, the way {@code ip addr} shows it. */
    @Override
    public String toString() {
      return IpLiteral.format(address) + "/" + prefix.prefixLength();
    }
  }
}
