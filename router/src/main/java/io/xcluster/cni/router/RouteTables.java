package io.xcluster.cni.router;

import io.xcluster.cni.router.netlink.NetlinkRouteTable;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;

/**
 * The one place that chooses the kernel's {@link RouteTable} implementation. Everything else gets a
 * {@code RouteTable} handed in, so tests and the in-process daemon can use another.
 */
final class RouteTables {
  private RouteTables() {}

  /**
   * Opens the kernel's routes of {@code protocol} in {@code table}.
   *
   * @param nexthops whether to install routes through nexthop objects ({@code nhid})
   * @throws IOException when the kernel cannot be reached
   */
  public static RouteTable kernel(int protocol, int table, boolean nexthops) throws IOException {
    return NetlinkRouteTable.open(protocol, table, nexthops);
  }

  /** How commands open a route table; tests hand in an in-memory one. */
  @FunctionalInterface
  public interface Factory {
    RouteTable open(int protocol, int table, boolean nexthops) throws IOException;
  }
}
