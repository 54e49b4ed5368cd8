package io.xcluster.cni.e2e;

import io.xcluster.cni.testing.NetworkNamespace;
import java.util.List;

/**
 * A pod: a network namespace on a node with an {@code eth0} on the main network and a {@code net3}
 * on the secondary network, addresses as the plugins allocated them.
 */
public record Pod(
    String name, RigNode node, NetworkNamespace ns, List<String> mainIps, List<String> net3Ips) {

  public String mainIp(boolean ipv6) {
    return pick(mainIps, ipv6);
  }

  public String net3Ip(boolean ipv6) {
    return pick(net3Ips, ipv6);
  }

  private static String pick(List<String> ips, boolean ipv6) {
    return ips.stream()
        .filter(ip -> ip.contains(":") == ipv6)
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no " + (ipv6 ? "IPv6" : "IPv4") + " in " + ips));
  }

  /** Whether one ping from this pod to {@code address} is answered within a second. */
  public boolean ping(String address) {
    try {
      ns.exec("ping", "-c1", "-W1", "-n", "-q", address);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
