package io.xcluster.cni.router.plan;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.route.PrefixKey;
import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteOp;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes the routes the Nodes ask for and the operations that bring the kernel there. A pure
 * function of its inputs: no clock, no I/O, the same answer for the same Nodes in any order.
 *
 * <p>For every Node but our own, and every pod CIDR of it (any number per family): {@code <cidr>
 * via <first address of the CIDR's family>}. The rules, each of which is a {@link NodeProblem} when
 * it bites:
 *
 * <ul>
 *   <li>Overlapping CIDRs of different Nodes: the oldest claim (creationTimestamp, then name) wins;
 *       the others get no route. A Node's own nested CIDRs: the first one wins.
 *   <li>A destination that overlaps a prefix our own links reach directly gets no route, nor does a
 *       next hop that is one of our own addresses. These are never kept either.
 *   <li>No address of the CIDR's family: no route; an installed one is kept.
 *   <li>An IPv6 link-local next hop needs an outgoing device: the link that carries our own Node's
 *       first IPv6 address. When that is unknown: no route; an installed one is kept.
 *   <li>A next hop outside every connected prefix is reported, and the route is still tried: the
 *       kernel may know a way (an onlink route) that the addresses do not show.
 *   <li>Malformed input loses nothing: while a Node's CIDRs cannot be read, installed routes via
 *       its (readable) addresses are kept; while its addresses cannot be read, installed routes to
 *       its (readable) CIDRs are kept; when neither can be read, every installed route that no Node
 *       claims is kept.
 * </ul>
 *
 * <p>Cost: O(N log N) in the number of CIDRs (one sort by age, one ordered map for overlaps), and a
 * binary search in the sorted claims per kernel route for the comparison with the kernel.
 */
public final class RoutePlanner {
  private static final Comparator<NodeReading> OLDEST_FIRST =
      Comparator.comparing(NodeReading::created).thenComparing(NodeReading::name);

  private final PlannerConfig config;

  public RoutePlanner(PlannerConfig config) {
    this.config = config;
  }

  public PlannerConfig config() {
    return config;
  }

  /**
   * Plans the routes for {@code nodes} against the {@code installed} routes of our protocol and
   * table.
   */
  public Plan plan(Collection<NodeReading> nodes, LocalAddresses local, List<Route> installed) {
    return desire(nodes, local).diff(installed);
  }

  /**
   * What the Nodes ask for, before looking at the kernel. It depends only on the Nodes and the
   * host's addresses, so a caller may keep it while those stay the same and only {@link
   * Desired#diff} again (the periodic resync).
   */
  public Desired desire(Collection<NodeReading> nodes, LocalAddresses local) {
    Claiming c = new Claiming(local, ownNode(nodes));
    List<NodeReading> peers = new ArrayList<>(nodes.size());
    for (NodeReading node : nodes) {
      if (!node.name().equals(config.ownNode())) {
        peers.add(node);
      }
    }
    peers.sort(OLDEST_FIRST);
    for (NodeReading node : peers) {
      c.addNode(node);
    }
    return c.desired();
  }

  private Optional<NodeReading> ownNode(Collection<NodeReading> nodes) {
    for (NodeReading node : nodes) {
      if (node.name().equals(config.ownNode())) {
        return Optional.of(node);
      }
    }
    return Optional.empty();
  }

  /** The kernel's metric for a route without one: IPv4 0, IPv6 1024. */
  static int effectiveMetric(Route route) {
    return route.metric().orElse(route.family() == IpFamily.IPV4 ? 0 : 1024);
  }

  /** Whether the installed route is the desired one; a kernel route always names its device. */
  static boolean matches(Route desired, Route installed) {
    return desired.dst().equals(installed.dst())
        && desired.gateway().equals(installed.gateway())
        && effectiveMetric(desired) == effectiveMetric(installed)
        && (desired.device().isEmpty() || desired.device().equals(installed.device()));
  }

  /** A CIDR claimed by a Node. */
  private record Claim(Cidr cidr, String node) {}

  /**
   * Decides, Node by Node in age order, which CIDRs are claimed and routed. Only {@link #desired}
   * outlives it: the claims in ordered maps are needed while Nodes come in, not afterwards.
   */
  private final class Claiming {
    private final LocalAddresses local;
    private final Optional<NodeReading> own;
    private final List<NodeProblem> problems = new ArrayList<>();

    /** Accepted claims; pairwise disjoint, so floor/ceiling find any overlap. */
    private final TreeMap<PrefixKey, Claim> claims = new TreeMap<>();

    /** The desired routes in destination order. */
    private final TreeMap<PrefixKey, DesiredRoute> desired = new TreeMap<>();

    /** Destinations whose installed route is kept, by the Node that claims them. */
    private final Map<Cidr, String> keptDsts = new HashMap<>();

    /** Next hops of Nodes whose CIDRs cannot be read: installed routes via them are kept. */
    private final Set<InetAddress> keptGateways = new HashSet<>();

    /** A Node has neither readable CIDRs nor addresses: unclaimed installed routes are kept. */
    private boolean keepUnclaimed;

    private Claiming(LocalAddresses local, Optional<NodeReading> own) {
      this.local = local;
      this.own = own;
    }

    private void addNode(NodeReading node) {
      for (String warning : node.warnings()) {
        problem(node, warning);
      }
      if (node.cidrs().isEmpty()) {
        String error = node.cidrError().orElseThrow();
        if (node.addresses().isPresent()) {
          keptGateways.addAll(node.addresses().get());
          problem(node, error + "; installed routes via its addresses are kept");
        } else {
          keepUnclaimed = true;
          problem(node, error + "; installed routes that no node claims are kept");
          problem(node, node.addressError().orElseThrow());
        }
        return;
      }
      for (Cidr cidr : node.cidrs().get()) {
        PrefixKey key = PrefixKey.of(cidr);
        if (claim(node, cidr, key)) {
          if (node.addresses().isPresent()) {
            route(node, cidr, key, node.addresses().get());
          } else {
            keptDsts.put(cidr, node.name());
          }
        }
      }
      node.addressError()
          .ifPresent(error -> problem(node, error + "; installed routes to its CIDRs are kept"));
    }

    /** Records the claim of {@code cidr} by {@code node}, unless an older claim overlaps it. */
    private boolean claim(NodeReading node, Cidr cidr, PrefixKey key) {
      Optional<Claim> older = overlappingClaim(key);
      if (older.isPresent()) {
        Cidr other = older.get().cidr();
        String owner = older.get().node();
        problem(
            node,
            owner.equals(node.name())
                ? cidr + " overlaps its own " + other + "; only " + other + " is routed"
                : cidr
                    + " overlaps "
                    + other
                    + " of node "
                    + owner
                    + ", which claimed it first; no route");
        return false;
      }
      claims.put(key, new Claim(cidr, node.name()));
      return true;
    }

    private Optional<Claim> overlappingClaim(PrefixKey key) {
      Map.Entry<PrefixKey, Claim> floor = claims.floorEntry(key);
      if (floor != null && floor.getKey().overlaps(key)) {
        return Optional.of(floor.getValue());
      }
      Map.Entry<PrefixKey, Claim> ceiling = claims.ceilingEntry(key);
      if (ceiling != null && ceiling.getKey().overlaps(key)) {
        return Optional.of(ceiling.getValue());
      }
      return Optional.empty();
    }

    private void route(NodeReading node, Cidr cidr, PrefixKey key, List<InetAddress> addresses) {
      Optional<LinkAddress> reached = local.reaching(cidr);
      if (reached.isPresent()) {
        problem(
            node,
            cidr
                + " overlaps "
                + reached.get().prefix()
                + " on "
                + reached.get().device()
                + ", which this host reaches directly; no route");
        return;
      }
      Optional<InetAddress> gateway = firstOf(cidr.family(), addresses);
      if (gateway.isEmpty()) {
        problem(node, "no " + cidr.family() + " address for " + cidr + "; no route");
        keptDsts.put(cidr, node.name());
        return;
      }
      InetAddress gw = gateway.get();
      if (local.isOwn(gw)) {
        problem(node, hop(gw, cidr) + " is an address of this host; no route");
        return;
      }
      Optional<String> device = Optional.empty();
      if (gw.isLinkLocalAddress() && cidr.family() == IpFamily.IPV6) {
        device = ownLinkOf(IpFamily.IPV6);
        if (device.isEmpty()) {
          problem(
              node,
              hop(gw, cidr)
                  + " is IPv6 link-local and needs a device, but this node's own IPv6 address is"
                  + " on no single local link; no route");
          keptDsts.put(cidr, node.name());
          return;
        }
      } else if (!local.onLink(gw)) {
        problem(node, hop(gw, cidr) + " is not on any local link; the kernel may refuse the route");
      }
      Route route =
          new Route(
              cidr,
              gw,
              config.protocol(),
              config.table(),
              config.metric(),
              device,
              OptionalInt.empty());
      desired.put(key, new DesiredRoute(node.name(), route));
    }

    /** The link carrying our own Node's first address of a family. */
    private Optional<String> ownLinkOf(IpFamily family) {
      return own.flatMap(NodeReading::addresses)
          .flatMap(addresses -> firstOf(family, addresses))
          .flatMap(local::deviceOf);
    }

    private void problem(NodeReading node, String message) {
      problems.add(new NodeProblem(node.name(), message));
    }

    /** What the Nodes ask for, once all of them are in, in sorted arrays. */
    private Desired desired() {
      PrefixKey[] claimed = new PrefixKey[claims.size()];
      String[] claimants = new String[claims.size()];
      Route[] routes = new Route[claims.size()];
      int i = 0;
      for (Map.Entry<PrefixKey, Claim> e : claims.entrySet()) {
        claimed[i] = e.getKey();
        claimants[i] = e.getValue().node();
        DesiredRoute d = desired.get(e.getKey());
        routes[i] = d == null ? null : d.route();
        i++;
      }
      return new Desired(
          local,
          List.copyOf(problems),
          claimed,
          claimants,
          routes,
          desired.size(),
          keptDsts,
          keptGateways,
          keepUnclaimed);
    }
  }

  /**
   * The routes the Nodes ask for, the claims behind them and the rules for keeping installed
   * routes; complete once {@link #desire} returns, and not changed by {@link #diff}. It is kept
   * between reconciles, so it holds no more per route than {@link #diff} needs.
   */
  public static final class Desired {
    private final LocalAddresses local;
    private final List<NodeProblem> problems;

    /**
     * The accepted claims in order, pairwise disjoint; for each, the Node and the desired route to
     * it (null when it has none). Sorted arrays cost a fraction of ordered or hash maps, and this
     * is kept between reconciles; each {@link Plan} gets its own {@link DesiredRoute}s.
     */
    private final PrefixKey[] claimed;

    private final String[] claimants;
    private final Route[] routes;
    private final int routeCount;

    private final Map<Cidr, String> keptDsts;
    private final Set<InetAddress> keptGateways;
    private final boolean keepUnclaimed;

    private Desired(
        LocalAddresses local,
        List<NodeProblem> problems,
        PrefixKey[] claimed,
        String[] claimants,
        Route[] routes,
        int routeCount,
        Map<Cidr, String> keptDsts,
        Set<InetAddress> keptGateways,
        boolean keepUnclaimed) {
      this.local = local;
      this.problems = problems;
      this.claimed = claimed;
      this.claimants = claimants;
      this.routes = routes;
      this.routeCount = routeCount;
      this.keptDsts = keptDsts;
      this.keptGateways = keptGateways;
      this.keepUnclaimed = keepUnclaimed;
    }

    /**
     * The operations that turn {@code installed} into what the Nodes ask for. O(installed * log
     * desired + desired); sorting only what changes.
     */
    public Plan diff(List<Route> installed) {
      boolean[] matched = new boolean[claimed.length];
      List<Route> kept = new ArrayList<>();
      List<RouteOp> deletes = new ArrayList<>();
      for (Route r : installed) {
        int slot = slotOf(r);
        if (slot < 0) {
          if (keep(r)) {
            kept.add(r);
          } else {
            deletes.add(new RouteOp.Delete(r));
          }
        } else if (matches(routes[slot], r)) {
          matched[slot] = true;
        }
      }
      // A slot that a desired route takes is only ever replaced, never deleted: the kernel tells
      // routes apart by destination and metric, so a delete there could hit the route we want.
      List<DesiredRoute> desired = new ArrayList<>(routeCount);
      List<RouteOp> replaces = new ArrayList<>();
      for (int i = 0; i < routes.length; i++) {
        if (routes[i] != null) {
          desired.add(new DesiredRoute(claimants[i], routes[i]));
          if (!matched[i]) {
            replaces.add(new RouteOp.Replace(routes[i]));
          }
        }
      }
      if (deletes.size() > 1) {
        deletes.sort(Comparator.comparing(op -> PrefixKey.of(op.route().dst())));
      }
      if (kept.size() > 1) {
        kept.sort(Comparator.comparing(r -> PrefixKey.of(r.dst())));
      }
      List<RouteOp> ops = new ArrayList<>(replaces.size() + deletes.size());
      ops.addAll(replaces);
      ops.addAll(deletes);
      return new Plan(desired, ops, kept, problems);
    }

    /**
     * The index of the desired route in the kernel slot of {@code r} (the same destination and
     * metric), or -1. There is at most one desired route per destination.
     */
    private int slotOf(Route r) {
      int i = Arrays.binarySearch(claimed, PrefixKey.of(r.dst()));
      return i >= 0 && routes[i] != null && effectiveMetric(routes[i]) == effectiveMetric(r)
          ? i
          : -1;
    }

    /** Whether an installed route that no Node asks for stays, because its Node's input is bad. */
    private boolean keep(Route r) {
      if (local.reaching(r.dst()).isPresent() || local.isOwn(r.gateway())) {
        return false;
      }
      String claimant = claimant(PrefixKey.of(r.dst()));
      String keeper = keptDsts.get(r.dst());
      if (keeper != null) {
        return keeper.equals(claimant);
      }
      return claimant == null && (keptGateways.contains(r.gateway()) || keepUnclaimed);
    }

    /** The Node whose claim overlaps {@code key}, or null. */
    private String claimant(PrefixKey key) {
      int i = Arrays.binarySearch(claimed, key);
      if (i >= 0) {
        return claimants[i];
      }
      int ceiling = -i - 1;
      int floor = ceiling - 1;
      if (floor >= 0 && claimed[floor].overlaps(key)) {
        return claimants[floor];
      }
      if (ceiling < claimed.length && claimed[ceiling].overlaps(key)) {
        return claimants[ceiling];
      }
      return null;
    }
  }

  /** {@code next hop 192.168.1.1 for 10.1.0.0/24}, built only for a problem. */
  private static String hop(InetAddress gateway, Cidr cidr) {
    return "next hop " + IpLiteral.format(gateway) + " for " + cidr;
  }

  private static Optional<InetAddress> firstOf(IpFamily family, List<InetAddress> addresses) {
    for (InetAddress a : addresses) {
      if (IpFamily.of(a) == family) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
