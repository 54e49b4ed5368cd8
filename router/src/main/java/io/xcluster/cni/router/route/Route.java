package io.xcluster.cni.router.route;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One kernel route: {@code <dst> via <gateway> [dev <device>] proto <protocol> table <table>
 * [metric <metric>]}. The protocol number marks routes this program owns.
 *
 * @param dst the destination prefix, canonical (also for /32 and /128)
 * @param gateway the next hop, same family as dst
 * @param protocol rtm_protocol, 0 to 255
 * @param table routing table id, 1 to 2^32-1 (254 is main)
 * @param metric RTA_PRIORITY when set
 * @param device outgoing interface name, needed for an IPv6 link-local gateway
 * @param nexthopId the nexthop object the kernel route refers to, when installed that way
 */
public record Route(
    Cidr dst,
    InetAddress gateway,
    int protocol,
    int table,
    OptionalInt metric,
    Optional<String> device,
    OptionalInt nexthopId) {

  /** The main routing table. */
  public static final int MAIN_TABLE = 254;

  /** xcluster-cni's default route protocol number. */
  public static final int DEFAULT_PROTOCOL = 202;

  public Route {
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(nexthopId, "nexthopId");
    if (IpFamily.of(gateway) != dst.family()) {
      throw new IllegalArgumentException(
          "gateway " + IpLiteral.format(gateway) + " is not of the family of " + dst);
    }
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol " + protocol + " is not in 0..255");
    }
    if (table == 0) {
      throw new IllegalArgumentException("table 0 is not a routing table");
    }
  }

  /** A route with no metric, device or nexthop object. */
  public static Route of(Cidr dst, InetAddress gateway, int protocol, int table) {
    return new Route(
        dst, gateway, protocol, table, OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
  }

  public IpFamily family() {
    return dst.family();
  }

  /**
   * Whether the kernel route {@code installed} already is this route: same destination, gateway,
   * protocol, table, metric and device. How it is installed (nexthop object or not) does not count.
   */
  public boolean sameAs(Route installed) {
    return dst.equals(installed.dst)
        && gateway.equals(installed.gateway)
        && protocol == installed.protocol
        && table == installed.table
        && metric.equals(installed.metric)
        && (device.isEmpty() || device.equals(installed.device));
  }

  /** {@code 10.0.1.0/24 via 192.168.1.2}, the way people and error messages name a route. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(dst).append(" via ").append(IpLiteral.format(gateway));
    device.ifPresent(d -> sb.append(" dev ").append(d));
    sb.append(" proto ").append(protocol);
    if (table != MAIN_TABLE) {
      sb.append(" table ").append(table);
    }
    metric.ifPresent(m -> sb.append(" metric ").append(m));
    nexthopId.ifPresent(id -> sb.append(" nhid ").append(id));
    return sb.toString();
  }
}
