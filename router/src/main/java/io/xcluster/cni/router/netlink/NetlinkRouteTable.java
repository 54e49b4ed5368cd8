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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The routes of one protocol in one table, read and written over rtnetlink.
 *
 * <p><b>Ownership.</b> Listing asks the kernel for this protocol and table only and filters again
 * on this side. Deletes carry the protocol, which the kernel matches. A replace is refused with
 * {@code EEXIST} when a route of another protocol has the same destination and metric in the table:
 * the kernel's {@code NLM_F_REPLACE} would overwrite it whatever its owner. (The check reads the
 * table once per {@link #apply}; a route another owner adds in the milliseconds between that read
 * and our replace is not seen.)
 *
 * <p><b>Speed.</b> {@link #apply} pipelines up to a thousand requests per {@code send} and ties
 * each acknowledgement back to its operation by sequence number. In nexthop mode each IPv4 gateway
 * becomes one nexthop object of this protocol and routes refer to it by id, which avoids the
 * kernel's quadratic insert of IPv4 routes with distinct gateways; objects no route refers to any
 * more are deleted. IPv6 routes stay plain in nexthop mode: their insert is linear already, and an
 * IPv6 nexthop object costs more than the route it would save (measured: 10 k IPv6 routes take
 * about four times as long through nexthop objects).
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

  private static final int REPLACE_FLAGS =
      NetlinkHeader.NLM_F_REQUEST
          | NetlinkHeader.NLM_F_ACK
          | NetlinkHeader.NLM_F_CREATE
          | NetlinkHeader.NLM_F_REPLACE;
  private static final int DELETE_FLAGS = NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK;

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
   * @param nexthops install IPv4 routes through nexthop objects (kernel 5.3+)
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

  /**
   * {@inheritDoc}
   *
   * <p>An operation on a route of another protocol or table than this one's fails without reaching
   * the kernel. The failures come in the order of the operations.
   */
  @Override
  public synchronized List<RouteFailure> apply(List<RouteOp> ops) throws IOException {
    if (ops.isEmpty()) {
      return List.of();
    }
    RouteFailure[] failed = new RouteFailure[ops.size()];
    Map<String, Integer> indexes = new HashMap<>();
    NetlinkLinks.names(socket).forEach((index, name) -> indexes.put(name, index));
    Set<RouteKey> foreign = foreignKeys(ops);
    for (int i = 0; i < ops.size(); i++) {
      failed[i] = check(ops.get(i), indexes, foreign);
    }

    Nexthops.Resolution nexthopIds = null;
    if (nexthops) {
      List<Route> replaced = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        if (failed[i] == null
            && ops.get(i) instanceof RouteOp.Replace replace
            && throughNexthop(replace.route())) {
          replaced.add(replace.route());
        }
      }
      nexthopIds = Nexthops.ensure(socket, protocol, replaced, indexes);
    }

    // The operations that passed the checks become one request each.
    List<Integer> sent = new ArrayList<>();
    List<RouteMessage> requests = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      RouteOp op = ops.get(i);
      Route r = op.route();
      if (failed[i] != null) {
        continue;
      }
      if (op instanceof RouteOp.Delete) {
        requests.add(deleteMessage(r));
      } else if (!throughNexthop(r)) {
        requests.add(replaceMessage(r, deviceIndex(r, indexes).orElseThrow(), OptionalInt.empty()));
      } else {
        Nexthops.Outcome outcome = nexthopIds.outcome(r);
        if (outcome.error() != null) {
          failed[i] = failure(op, outcome.error());
          continue;
        }
        requests.add(replaceMessage(r, 0, OptionalInt.of(outcome.id())));
      }
      sent.add(i);
    }

    NetlinkException[] refusals =
        socket.exchange(
            requests.size(),
            (k, buf, seq) -> {
              boolean replace = ops.get(sent.get(k)) instanceof RouteOp.Replace;
              requests
                  .get(k)
                  .pack(
                      buf,
                      replace ? RouteMessage.RTM_NEWROUTE : RouteMessage.RTM_DELROUTE,
                      replace ? REPLACE_FLAGS : DELETE_FLAGS,
                      seq);
            },
            (k, m) -> {});
    for (int k = 0; k < refusals.length; k++) {
      RouteOp op = ops.get(sent.get(k));
      NetlinkException e = refusals[k];
      boolean alreadyGone = op instanceof RouteOp.Delete && e != null && e.errno() == Errno.ESRCH;
      if (e != null && !alreadyGone) {
        failed[sent.get(k)] = failure(op, e);
      }
    }
    Nexthops.deleteUnused(socket, protocol);
    return Arrays.stream(failed).filter(Objects::nonNull).toList();
  }

  /** Whether the route is installed through a nexthop object: IPv4 routes in nexthop mode. */
  private boolean throughNexthop(Route r) {
    return nexthops && r.family() == IpFamily.IPV4;
  }

  /** Why the operation cannot be sent, or null when it can. */
  private RouteFailure check(RouteOp op, Map<String, Integer> indexes, Set<RouteKey> foreign) {
    Route r = op.route();
    if (r.protocol() != protocol || r.table() != table) {
      return new RouteFailure(
          op,
          Errno.EINVAL,
          "the route is not this owner's (protocol "
              + protocol
              + ", table "
              + Integer.toUnsignedString(table)
              + ")");
    }
    if (op instanceof RouteOp.Delete) {
      return null;
    }
    if (deviceIndex(r, indexes).isEmpty()) {
      return new RouteFailure(op, Errno.ENODEV, "no such device " + r.device().get());
    }
    if (foreign.contains(RouteKey.of(r))) {
      return new RouteFailure(
          op,
          Errno.EEXIST,
          "a route of another protocol has this destination and metric in table "
              + Integer.toUnsignedString(table)
              + "; it is left alone");
    }
    return null;
  }

  private static RouteFailure failure(RouteOp op, NetlinkException e) {
    return new RouteFailure(op, e.errno(), RouteFailures.reason(op, e));
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
