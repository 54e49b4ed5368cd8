package io.xcluster.cni.router.netlink;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.router.route.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

  /**
   * The nexthop object of a route, or why there is none.
   *
   * @param id the object's id, 0 on failure
   * @param error the kernel's refusal, null on success
   */
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
   * without a device gets the link whose prefix holds it, else the device of the kernel's route to
   * it ({@code RTM_GETROUTE}): a gateway nexthop needs one.
   *
   * @param indexes ifindex by device name; routes with an unknown device must not be given
   */
  static Resolution ensure(
      NetlinkSocket socket, int protocol, List<Route> routes, Map<String, Integer> indexes)
      throws IOException {
    if (routes.isEmpty()) {
      return new Resolution(Map.of(), indexes);
    }
    Set<Key> keys = new LinkedHashSet<>();
    routes.forEach(r -> keys.add(Key.of(r, indexes)));
    Map<Key, Outcome> outcomes = new HashMap<>();
    Map<Key, Key> withDevice = resolveDevices(socket, keys, outcomes);

    Set<Integer> used = new HashSet<>();
    Map<Key, Outcome> objects = new HashMap<>();
    for (NexthopMessage nh : dump(socket)) {
      used.add(nh.id());
      if (nh.protocol() == protocol && nh.gateway().isPresent()) {
        objects.put(new Key(nh.gateway().get(), nh.oif()), new Outcome(nh.id(), null));
      }
    }
    List<Key> missing =
        new LinkedHashSet<>(withDevice.values())
            .stream().filter(k -> !objects.containsKey(k)).toList();
    objects.putAll(create(socket, protocol, missing, used));
    withDevice.forEach((given, full) -> outcomes.put(given, objects.get(full)));
    return new Resolution(outcomes, indexes);
  }

  /**
   * The key with its device for every key; a gateway the kernel has no route to gets its refusal in
   * {@code failed} instead.
   */
  private static Map<Key, Key> resolveDevices(
      NetlinkSocket socket, Set<Key> keys, Map<Key, Outcome> failed) throws IOException {
    Map<Key, Key> resolved = new HashMap<>();
    List<AddressMessage> addresses = NetlinkLinks.dumpAddresses(socket);
    List<Key> lookups = new ArrayList<>();
    for (Key k : keys) {
      int oif = k.oif() != 0 ? k.oif() : onLink(k.gateway(), addresses);
      if (oif != 0) {
        resolved.put(k, new Key(k.gateway(), oif));
      } else {
        lookups.add(k);
      }
    }
    int[] oifs = new int[lookups.size()];
    NetlinkException[] errors =
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
    for (int i = 0; i < lookups.size(); i++) {
      Key k = lookups.get(i);
      if (errors[i] != null) {
        failed.put(k, new Outcome(0, errors[i]));
      } else {
        resolved.put(k, new Key(k.gateway(), oifs[i]));
      }
    }
    return resolved;
  }

  /**
   * Creates one object per key, with ids no object has ({@code used} grows). The create is
   * exclusive, so an id taken in the meantime fails that object rather than replacing another's.
   */
  private static Map<Key, Outcome> create(
      NetlinkSocket socket, int protocol, List<Key> keys, Set<Integer> used) throws IOException {
    int[] ids = new int[keys.size()];
    int candidate = 1;
    for (int i = 0; i < ids.length; i++) {
      while (used.contains(candidate)) {
        candidate++;
      }
      used.add(candidate);
      ids[i] = candidate;
    }
    NetlinkException[] errors =
        socket.exchange(
            keys.size(),
            (i, buf, seq) -> {
              Key k = keys.get(i);
              boolean v4 = k.gateway().getAddress().length == 4;
              new NexthopMessage(
                      v4 ? RouteMessage.AF_INET : RouteMessage.AF_INET6,
                      protocol,
                      ids[i],
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
    Map<Key, Outcome> created = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      created.put(
          keys.get(i), errors[i] == null ? new Outcome(ids[i], null) : new Outcome(0, errors[i]));
    }
    return created;
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

  /**
   * The link whose on-link prefix holds the gateway, the longest prefix winning; 0 when none does,
   * or when links tie (as every link's fe80::/64 does), which leaves it to the kernel's lookup.
   */
  static int onLink(InetAddress gateway, List<AddressMessage> addresses) {
    int best = -1;
    int oif = 0;
    for (AddressMessage a : addresses) {
      if (a.address().isEmpty()
          || a.address().get().getAddress().length != gateway.getAddress().length
          || a.prefixLength() >= 8 * gateway.getAddress().length
          || !Cidr.of(a.address().get(), a.prefixLength()).contains(gateway)) {
        continue;
      }
      if (a.prefixLength() > best) {
        best = a.prefixLength();
        oif = a.index();
      } else if (a.prefixLength() == best && a.index() != oif) {
        oif = 0;
      }
    }
    return oif;
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
