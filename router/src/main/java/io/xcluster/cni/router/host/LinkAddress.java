package io.xcluster.cni.router.host;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One address on one of this host's links, with the prefix it is configured with: {@code
 * 192.168.1.10/24 on eth0}. The prefix is what the link reaches directly (the connected route).
 *
 * @param device the link name
 * @param address the address, without any IPv6 scope id
 * @param prefixLength the configured prefix length
 */
public record LinkAddress(String device, InetAddress address, int prefixLength) {
  public LinkAddress {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(address, "address");
  }

  /** Parses {@code "eth0", "192.168.1.10/24"}; for tests and fixed configurations. */
  public static LinkAddress of(String device, String addressSlashLength) {
    int slash = addressSlashLength.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected address/length: " + addressSlashLength);
    }
    return new LinkAddress(
        device,
        IpLiteral.parse(addressSlashLength.substring(0, slash)),
        Integer.parseInt(addressSlashLength.substring(slash + 1)));
  }

  /** The connected prefix: the address with its host bits cleared. */
  public Cidr prefix() {
    return Cidr.of(address, prefixLength);
  }

  @Override
  public String toString() {
    return IpLiteral.format(address) + "/" + prefixLength + " on " + device;
  }
}
