package io.xcluster.cni.router.netlink;

import io.xcluster.cni.router.route.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The nexthop objects of one protocol: one per (gateway, device), created on demand with an id no
 * other object has, and deleted once no route of any owner refers to them.
 */
final class Nexthops {
  private static final int EOPNOTSUPP = 95;

  private Nexthops() {}

  /** Every nexthop object; empty on a kernel without them. */
  static List<NexthopMessage> dump(NetlinkSocket socket) throws IOException {
    try {
      return socket.dump(
          (i, buf, seq) ->
              NexthopMessage.dumpRequest()
                  .pack(
                      buf,
                      NexthopMessage.RTM_GETNEXTHOP,
                      NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP,
                      seq),
          m ->
              m.header().type() == NexthopMessage.RTM_NEWNEXTHOP
                  ? NexthopMessage.parse(m.payload())
                  : null);
    } catch (NetlinkException e) {
      if (e.errno() == EOPNOTSUPP || e.errno() == Errno.EINVAL) {
        return List.of();
      }
      throw e;
    }
  }

  static Map<Integer, NexthopMessage> byId(List<NexthopMessage> objects) {
    Map<Integer, NexthopMessage> out = new HashMap<>();
    objects.forEach(nh -> out.put(nh.id(), nh));
    return out;
  }

  /** The nexthop of a route, or why there is none. */
  record Outcome(int id, NetlinkException error) {}

  /** The outcome for every route given to {@link #ensure}. */
  record Resolution(Map<Key, Outcome> byKey, Map<String, Integer> indexes) {
    Outcome outcome(Route r) {
      return byKey.get(Key.of(r, indexes));
    }
  }

  /** A gateway and, when the route names it, its device. */
  record Key(InetAddress gateway, int oif) {
    static Key of(Route r, Map<String, Integer> indexes) {
      return new Key(r.gateway(), r.device().map(indexes::get).orElse(0));
    }
  }

  /**
   * Finds or creates a nexthop object of {@code protocol} for the gateway of every route. A gateway
   * without a device is looked up in the kernel's routes ({@code RTM_GETROUTE}) for the device the
   * object needs.
   *
   * @param indexes ifindex by device name; routes with an unknown device must not be given
   */
  static Resolution ensure(
      NetlinkSocket socket, int protocol, List<Route> routes, Map<String, Integer> indexes)
      throws IOException {
    Map<Key, Outcome> outcomes = new HashMap<>();
    Set<Key> keys = new LinkedHashSet<>();
    routes.forEach(r -> keys.add(Key.of(r, indexes)));
    List<NexthopMessage> existing = dump(socket);
    Set<Integer> used = new HashSet<>();
    Map<Key, Integer> owned = new HashMap<>();
    for (NexthopMessage nh : existing) {
      used.add(nh.id());
      if (nh.protocol() == protocol && nh.gateway().isPresent()) {
        owned.put(new Key(nh.gateway().get(), nh.oif()), nh.id());
      }
    }

    // The device of each gateway given without one: the kernel's route to it.
    List<Key> lookups = keys.stream().filter(k -> k.oif() == 0).toList();
    int[] oifs = new int[lookups.size()];
    NetlinkException[] lookupErrors =
        socket.exchange(
            lookups.size(),
            (i, buf, seq) ->
                lookupMessage(lookups.get(i).gateway())
                    .pack(buf, RouteMessage.RTM_GETROUTE, NetlinkHeader.NLM_F_REQUEST, seq),
            (i, m) -> {
              if (m.header().type() == RouteMessage.RTM_NEWROUTE) {
                oifs[i] = RouteMessage.parse(m.payload()).oif();
              }
            });
    Map<Key, Key> resolved = new HashMap<>();
    for (Key k : keys) {
      resolved.put(k, k);
    }
    for (int i = 0; i < lookups.size(); i++) {
      if (lookupErrors[i] != null) {
        outcomes.put(lookups.get(i), new Outcome(0, lookupErrors[i]));
        resolved.remove(lookups.get(i));
      } else {
        resolved.put(lookups.get(i), new Key(lookups.get(i).gateway(), oifs[i]));
      }
    }

    // Create the missing objects, with ids nobody uses.
    List<Key> missing = new ArrayList<>();
    Map<Key, Integer> newIds = new LinkedHashMap<>();
    int candidate = 1;
    for (Key full : new HashSet<>(resolved.values())) {
      if (owned.containsKey(full)) {
        continue;
      }
      while (used.contains(candidate)) {
        candidate++;
      }
      used.add(candidate);
      newIds.put(full, candidate);
      missing.add(full);
    }
    NetlinkException[] createErrors =
        socket.exchange(
            missing.size(),
            (i, buf, seq) -> {
              Key k = missing.get(i);
              new NexthopMessage(
                      k.gateway().getAddress().length == 4
                          ? RouteMessage.AF_INET
                          : RouteMessage.AF_INET6,
                      protocol,
                      newIds.get(k),
                      Optional.of(k.gateway()),
                      k.oif())
                  .pack(
                      buf,
                      NexthopMessage.RTM_NEWNEXTHOP,
                      NetlinkHeader.NLM_F_REQUEST
                          | NetlinkHeader.NLM_F_ACK
                          | NetlinkHeader.NLM_F_CREATE
                          | NetlinkHeader.NLM_F_EXCL,
                      seq);
            },
            (i, m) -> {});
    Map<Key, Outcome> byResolvedKey = new HashMap<>();
    owned.forEach((k, id) -> byResolvedKey.put(k, new Outcome(id, null)));
    for (int i = 0; i < missing.size(); i++) {
      Key k = missing.get(i);
      byResolvedKey.put(
          k,
          createErrors[i] == null
              ? new Outcome(newIds.get(k), null)
              : new Outcome(0, createErrors[i]));
    }
    resolved.forEach((given, full) -> outcomes.put(given, byResolvedKey.get(full)));
    return new Resolution(outcomes, indexes);
  }

  /**
   * Deletes the nexthop objects of {@code protocol} that no route refers to: first those none of
   * our routes use, then, only if there are any, checked against the routes of every owner, because
   * deleting an object takes every route that uses it along.
   */
  static void deleteUnused(NetlinkSocket socket, int protocol) throws IOException {
    Set<Integer> candidates = new HashSet<>();
    for (NexthopMessage nh : dump(socket)) {
      if (nh.protocol() == protocol) {
        candidates.add(nh.id());
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    removeReferenced(candidates, socket, protocol);
    if (candidates.isEmpty()) {
      return;
    }
    removeReferenced(candidates, socket, 0);
    List<Integer> ids = List.copyOf(candidates);
    socket.exchange(
        ids.size(),
        (i, buf, seq) ->
            new NexthopMessage(RouteMessage.AF_UNSPEC, 0, ids.get(i), Optional.empty(), 0)
                .pack(
                    buf,
                    NexthopMessage.RTM_DELNEXTHOP,
                    NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK,
                    seq),
        (i, m) -> {});
  }

  private static void removeReferenced(Set<Integer> ids, NetlinkSocket socket, int protocol)
      throws IOException {
    for (int family : new int[] {RouteMessage.AF_INET, RouteMessage.AF_INET6}) {
      for (RouteMessage r : RouteDumps.dump(socket, family, 0, protocol)) {
        r.nexthopId().ifPresent(ids::remove);
      }
    }
  }

  private static RouteMessage lookupMessage(InetAddress gateway) {
    boolean v4 = gateway.getAddress().length == 4;
    return new RouteMessage(
        v4 ? RouteMessage.AF_INET : RouteMessage.AF_INET6,
        v4 ? 32 : 128,
        RouteMessage.RT_TABLE_UNSPEC,
        0,
        RouteMessage.RT_SCOPE_UNIVERSE,
        RouteMessage.RTN_UNSPEC,
        0,
        Optional.of(gateway),
        Optional.empty(),
        0,
        OptionalInt.empty(),
        OptionalInt.empty());
  }
}
