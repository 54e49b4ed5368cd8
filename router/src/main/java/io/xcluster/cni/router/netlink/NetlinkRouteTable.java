package io.xcluster.cni.router.netlink;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The routes of one protocol in one table, read and written over rtnetlink.
 *
 * <p><b>Ownership.</b> Listing asks the kernel for this protocol and table only and filters again
 * on this side. Deletes carry the protocol, which the kernel matches. A replace is refused with
 * {@code EEXIST} when a route of another protocol has the same destination and metric in the table:
 * the kernel's {@code NLM_F_REPLACE} would overwrite it whatever its owner.
 *
 * <p><b>Speed.</b> {@link #apply} pipelines up to a thousand requests per {@code send} and ties
 * each acknowledgement back to its operation by sequence number. In nexthop mode each gateway
 * becomes one nexthop object of this protocol and routes refer to it by id, which avoids the
 * kernel's quadratic insert of IPv4 routes with distinct gateways; objects no route refers to any
 * more are deleted.
 *
 * <p><b>Deletes</b> match on destination, table, protocol and metric, not on gateway or device (the
 * kernel matches neither on a nexthop-object route); a route already gone ({@code ESRCH}) is no
 * failure.
 *
 * <p><b>Metrics.</b> IPv6 gives a route without a metric the metric 1024; a listed IPv6 route with
 * metric 1024 has an empty metric, so it compares equal to the route that was asked for.
 *
 * <p>Thread-safe: calls are serialized.
 */
public final class NetlinkRouteTable implements RouteTable {
  /** The metric IPv6 gives a route installed without one (IP6_RT_PRIO_USER). */
  static final int IPV6_DEFAULT_METRIC = 1024;

  private final int protocol;
  private final int table;
  private final boolean nexthops;
  private final Optional<Path> netns;
  private final NetlinkSocket socket;

  private NetlinkRouteTable(
      int protocol, int table, boolean nexthops, Optional<Path> netns, NetlinkSocket socket) {
    this.protocol = protocol;
    this.table = table;
    this.nexthops = nexthops;
    this.netns = netns;
    this.socket = socket;
  }

  /**
   * Opens the routes of {@code protocol} in {@code table} in this process's network namespace.
   *
   * @param nexthops install routes through nexthop objects (kernel 5.3+)
   */
  public static NetlinkRouteTable open(int protocol, int table, boolean nexthops)
      throws IOException {
    return open(protocol, table, nexthops, Optional.empty());
  }

  /**
   * Opens the routes of {@code protocol} in {@code table} in the network namespace of the file
   * {@code netns}, e.g. {@code /run/netns/NAME}.
   */
  public static NetlinkRouteTable open(int protocol, int table, boolean nexthops, Path netns)
      throws IOException {
    return open(protocol, table, nexthops, Optional.of(netns));
  }

  private static NetlinkRouteTable open(
      int protocol, int table, boolean nexthops, Optional<Path> netns) throws IOException {
    if (protocol < 1 || protocol > 255) {
      throw new IllegalArgumentException("protocol " + protocol + " is not in 1..255");
    }
    if (table == 0) {
      throw new IllegalArgumentException("table 0 is not a routing table");
    }
    return new NetlinkRouteTable(protocol, table, nexthops, netns, NetlinkSocket.open(netns));
  }

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public int table() {
    return table;
  }

  /** Whether routes are installed through nexthop objects. */
  public boolean nexthops() {
    return nexthops;
  }

  @Override
  public synchronized List<Route> list() throws IOException {
    Map<Integer, String> names = NetlinkLinks.names(socket);
    Map<Integer, NexthopMessage> objects = null;
    List<Route> out = new ArrayList<>();
    for (RouteMessage m : dumpOwned()) {
      if (m.nexthopId().isPresent() && m.gateway().isEmpty() && objects == null) {
        objects = Nexthops.byId(Nexthops.dump(socket));
      }
      toRoute(m, names, objects == null ? Map.of() : objects).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public synchronized List<RouteFailure> apply(List<RouteOp> ops) throws IOException {
    List<RouteFailure> failures = new ArrayList<>();
    Map<String, Integer> indexes = new HashMap<>();
    NetlinkLinks.names(socket).forEach((index, name) -> indexes.put(name, index));
    Set<RouteKey> foreign = foreignKeys(ops);

    // Each op either fails before it is sent, or becomes one request.
    List<RouteOp> sendable = new ArrayList<>();
    List<RouteMessage> requests = new ArrayList<>();
    Map<Route, Integer> nexthopIds = nexthops ? ensureNexthops(ops, indexes, failures) : Map.of();
    for (RouteOp op : ops) {
      Route r = op.route();
      switch (op) {
        case RouteOp.Replace replace -> {
          OptionalInt oif = deviceIndex(r, indexes);
          if (oif.isEmpty()) {
            failures.add(new RouteFailure(op, Errno.ENODEV, "no such device " + r.device().get()));
            continue;
          }
          if (foreign.contains(RouteKey.of(r))) {
            failures.add(
                new RouteFailure(
                    op,
                    Errno.EEXIST,
                    "a route of another protocol has this destination and metric in table "
                        + Integer.toUnsignedString(table)
                        + "; it is left alone"));
            continue;
          }
          if (nexthops) {
            Integer id = nexthopIds.get(r);
            if (id == null) {
              continue; // its nexthop failed; the failure is in the list already
            }
            requests.add(replaceMessage(r, 0, OptionalInt.of(id)));
          } else {
            requests.add(replaceMessage(r, oif.getAsInt(), OptionalInt.empty()));
          }
        }
        case RouteOp.Delete delete -> requests.add(deleteMessage(r));
      }
      sendable.add(op);
    }

    NetlinkException[] refusals =
        socket.exchange(
            requests.size(),
            (i, buf, seq) -> {
              boolean replace = sendable.get(i) instanceof RouteOp.Replace;
              requests
                  .get(i)
                  .pack(
                      buf,
                      replace ? RouteMessage.RTM_NEWROUTE : RouteMessage.RTM_DELROUTE,
                      replace
                          ? NetlinkHeader.NLM_F_REQUEST
                              | NetlinkHeader.NLM_F_ACK
                              | NetlinkHeader.NLM_F_CREATE
                              | NetlinkHeader.NLM_F_REPLACE
                          : NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK,
                      seq);
            },
            (i, m) -> {});
    for (int i = 0; i < refusals.length; i++) {
      NetlinkException e = refusals[i];
      RouteOp op = sendable.get(i);
      boolean alreadyGone = op instanceof RouteOp.Delete && (e != null && e.errno() == Errno.ESRCH);
      if (e != null && !alreadyGone) {
        failures.add(new RouteFailure(op, e.errno(), RouteFailures.reason(op, e)));
      }
    }
    Nexthops.deleteUnused(socket, protocol);
    return failures;
  }

  @Override
  public AutoCloseable watch(RouteEvents listener) throws IOException {
    return RouteMonitor.start(this, netns, listener);
  }

  @Override
  public synchronized void close() {
    socket.close();
  }

  /** Our routes: the kernel's filtered dump of both families, filtered again here. */
  private List<RouteMessage> dumpOwned() throws IOException {
    List<RouteMessage> out = new ArrayList<>();
    for (int family : new int[] {RouteMessage.AF_INET, RouteMessage.AF_INET6}) {
      for (RouteMessage m : RouteDumps.dump(socket, family, table, protocol)) {
        if (owns(m)) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** Whether the kernel route is one of ours. */
  boolean owns(RouteMessage m) {
    return m.protocol() == protocol
        && m.table() == table
        && m.type() == RouteMessage.RTN_UNICAST
        && (m.flags() & RouteMessage.RTM_F_CLONED) == 0;
  }

  /**
   * The route a kernel message describes, or empty when it has no single gateway (a multipath or
   * device-only route), which this interface cannot express.
   */
  static Optional<Route> toRoute(
      RouteMessage m, Map<Integer, String> names, Map<Integer, NexthopMessage> nexthopObjects) {
    Optional<InetAddress> gateway = m.gateway();
    int oif = m.oif();
    if (gateway.isEmpty() && m.nexthopId().isPresent()) {
      NexthopMessage nh = nexthopObjects.get(m.nexthopId().getAsInt());
      if (nh != null) {
        gateway = nh.gateway();
        oif = oif != 0 ? oif : nh.oif();
      }
    }
    if (gateway.isEmpty()) {
      return Optional.empty();
    }
    InetAddress dst = destination(m);
    OptionalInt metric = m.priority();
    if (m.family() == RouteMessage.AF_INET6 && metric.equals(OptionalInt.of(IPV6_DEFAULT_METRIC))
        || metric.equals(OptionalInt.of(0))) {
      metric = OptionalInt.empty();
    }
    return Optional.of(
        new Route(
            new Cidr(dst, m.dstLength()),
            gateway.get(),
            m.protocol(),
            m.table(),
            metric,
            Optional.ofNullable(names.get(oif)),
            m.nexthopId()));
  }

  private RouteMessage replaceMessage(Route r, int oif, OptionalInt nexthopId) {
    return new RouteMessage(
        family(r),
        r.dst().prefixLength(),
        table,
        protocol,
        RouteMessage.RT_SCOPE_UNIVERSE,
        RouteMessage.RTN_UNICAST,
        0,
        Optional.of(r.dst().address()),
        nexthopId.isPresent() ? Optional.empty() : Optional.of(r.gateway()),
        oif,
        r.metric(),
        nexthopId);
  }

  /**
   * Deletes by destination, table, protocol and metric, not by gateway or device: the owner has one
   * route per destination and metric, and the kernel matches neither on a nexthop-object route.
   */
  private RouteMessage deleteMessage(Route r) {
    OptionalInt metric = r.metric();
    if (metric.isEmpty() && r.family() == IpFamily.IPV6) {
      metric = OptionalInt.of(IPV6_DEFAULT_METRIC);
    }
    return new RouteMessage(
        family(r),
        r.dst().prefixLength(),
        table,
        protocol,
        RouteMessage.RT_SCOPE_NOWHERE,
        RouteMessage.RTN_UNSPEC,
        0,
        Optional.of(r.dst().address()),
        Optional.empty(),
        0,
        metric,
        OptionalInt.empty());
  }

  /** The ifindex of the route's device, 0 when it names none, empty when the device is unknown. */
  private static OptionalInt deviceIndex(Route r, Map<String, Integer> indexes) {
    if (r.device().isEmpty()) {
      return OptionalInt.of(0);
    }
    Integer index = indexes.get(r.device().get());
    return index == null ? OptionalInt.empty() : OptionalInt.of(index);
  }

  /** Destinations and metrics held in this table by routes of other protocols. */
  private Set<RouteKey> foreignKeys(List<RouteOp> ops) throws IOException {
    Set<Integer> families = new HashSet<>();
    for (RouteOp op : ops) {
      if (op instanceof RouteOp.Replace) {
        families.add(family(op.route()));
      }
    }
    Set<RouteKey> keys = new HashSet<>();
    for (int family : families) {
      for (RouteMessage m : RouteDumps.dump(socket, family, table, 0)) {
        if (m.protocol() != protocol) {
          keys.add(RouteKey.of(m));
        }
      }
    }
    return keys;
  }

  /**
   * Finds or creates the nexthop object for the gateway of every replaced route.
   *
   * @return the nexthop id per route; routes whose nexthop failed are in {@code failures} instead
   */
  private Map<Route, Integer> ensureNexthops(
      List<RouteOp> ops, Map<String, Integer> indexes, List<RouteFailure> failures)
      throws IOException {
    List<RouteOp> replaces =
        ops.stream()
            .filter(op -> op instanceof RouteOp.Replace)
            .filter(op -> deviceIndex(op.route(), indexes).isPresent())
            .toList();
    if (replaces.isEmpty()) {
      return Map.of();
    }
    Nexthops.Resolution resolution =
        Nexthops.ensure(socket, protocol, replaces.stream().map(RouteOp::route).toList(), indexes);
    Map<Route, Integer> ids = new HashMap<>();
    for (RouteOp op : replaces) {
      Nexthops.Outcome outcome = resolution.outcome(op.route());
      if (outcome.id() != 0) {
        ids.put(op.route(), outcome.id());
      } else {
        failures.add(
            new RouteFailure(
                op, outcome.error().errno(), RouteFailures.reason(op, outcome.error())));
      }
    }
    return ids;
  }

  static int family(Route r) {
    return r.family() == IpFamily.IPV4 ? RouteMessage.AF_INET : RouteMessage.AF_INET6;
  }

  /** What the kernel's replace matches on: destination (its class gives the family) and metric. */
  private record RouteKey(InetAddress dst, int length, int metric) {
    static RouteKey of(Route r) {
      int metric = r.metric().orElse(r.family() == IpFamily.IPV6 ? IPV6_DEFAULT_METRIC : 0);
      return new RouteKey(r.dst().address(), r.dst().prefixLength(), metric);
    }

    static RouteKey of(RouteMessage m) {
      return new RouteKey(destination(m), m.dstLength(), m.priority().orElse(0));
    }
  }

  /** RTA_DST, or the all-zeros address of the family for a default route. */
  private static InetAddress destination(RouteMessage m) {
    int bytes = m.family() == RouteMessage.AF_INET ? 4 : 16;
    return m.dst().orElseGet(() -> Attributes.address(new byte[bytes]));
  }
}
