package io.xcluster.cni.router;

import io.xcluster.cni.annotations.AnnotationFormatException;
import io.xcluster.cni.annotations.AnnotationValues;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Plans per-node CIDRs out of pools, for {@code xcluster-cni annotate}. Pure: it takes the current
 * annotation values of all nodes and returns what to write; it never talks to the API.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>Only nodes without the annotation get a value: one CIDR of the pool's prefix length from
 *       every pool, joined by commas in pool order ({@code 172.20.0.0/24,fd00:5::/112}). A node
 *       that has the annotation is never changed, whatever its value.
 *   <li>A CIDR is in use when it overlaps any CIDR in any node's value of the annotation. Items of
 *       a malformed value that still parse as CIDRs count as in use too, and the node is reported:
 *       its value is never handed out again.
 *   <li>The IPv4-mapped range {@code ::ffff:0:0/96} of an IPv6 pool is never handed out: it would
 *       be read back as IPv4.
 *   <li>Deterministic: nodes in name order get the lowest free CIDRs, holes first.
 *   <li>All or nothing: when a pool has fewer free CIDRs than nodes need, the plan fails and
 *       nothing is assigned.
 * </ul>
 */
public final class CidrPoolAllocator {
  private static final BigInteger IPV4_MAPPED_START = BigInteger.valueOf(0xffffL).shiftLeft(32);
  private static final BigInteger IPV4_MAPPED_END =
      IPV4_MAPPED_START.add(BigInteger.ONE.shiftLeft(32)).subtract(BigInteger.ONE);

  private CidrPoolAllocator() {}

  /**
   * A pool and the prefix length of the CIDRs cut from it.
   *
   * @throws IllegalArgumentException when the length is shorter than the pool's or longer than the
   *     family allows
   */
  public record Pool(Cidr cidr, int prefixLength) {
    public Pool {
      int bits = cidr.family().bits();
      if (prefixLength < cidr.prefixLength() || prefixLength > bits) {
        throw new IllegalArgumentException(
            "prefix length "
                + prefixLength
                + " does not fit pool "
                + cidr
                + ": it must be from "
                + cidr.prefixLength()
                + " to "
                + bits);
      }
    }

    /** How many CIDRs of {@code prefixLength} the pool holds. */
    public BigInteger size() {
      return BigInteger.ONE.shiftLeft(prefixLength - cidr.prefixLength());
    }

    @Override
    public String toString() {
      return cidr + " (/" + prefixLength + ")";
    }
  }

  /** The value to write on one node. */
  public record Assignment(String node, List<Cidr> cidrs) {
    public Assignment {
      cidrs = List.copyOf(cidrs);
    }

    /** The annotation value, e.g. {@code 172.20.0.0/24,fd00:5::/112}. */
    public String value() {
      return cidrs.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }
  }

  /** A node whose value is not (entirely) usable; the node is left as it is. */
  public record Problem(String node, String message) {}

  /**
   * What to do.
   *
   * @param assignments nodes that lack the annotation, in name order, with their new value
   * @param annotated nodes that already have the annotation (well-formed or not), in name order
   * @param problems nodes with a malformed value, in name order
   */
  public record Plan(List<Assignment> assignments, List<String> annotated, List<Problem> problems) {
    public Plan {
      assignments = List.copyOf(assignments);
      annotated = List.copyOf(annotated);
      problems = List.copyOf(problems);
    }
  }

  /** The pools cannot serve every node that needs a CIDR; nothing was assigned. */
  public static final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PoolExhaustedException(String message) {
      super(message);
    }
  }

  /**
   * Checks a set of pools: at least one, and no two overlapping.
   *
   * @throws IllegalArgumentException naming the overlapping pools
   */
  public static List<Pool> checkPools(List<Pool> pools) {
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("at least one pool is needed");
    }
    for (int i = 0; i < pools.size(); i++) {
      for (int j = i + 1; j < pools.size(); j++) {
        if (pools.get(i).cidr().overlaps(pools.get(j).cidr())) {
          throw new IllegalArgumentException(
              "pools " + pools.get(i).cidr() + " and " + pools.get(j).cidr() + " overlap");
        }
      }
    }
    return List.copyOf(pools);
  }

  /**
   * Plans the values for every node that lacks {@code annotation}.
   *
   * @param values every node's value of the annotation; a node without it maps to null
   * @throws PoolExhaustedException when a pool runs out
   */
  public static Plan plan(String annotation, List<Pool> pools, Map<String, String> values) {
    checkPools(pools);
    SortedMap<String, String> nodes = new TreeMap<>(values);
    List<Cidr> inUse = new ArrayList<>();
    List<String> lacking = new ArrayList<>();
    List<String> annotated = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, String> node : nodes.entrySet()) {
      String value = node.getValue();
      if (value == null) {
        lacking.add(node.getKey());
        continue;
      }
      annotated.add(node.getKey());
      try {
        inUse.addAll(AnnotationValues.parseCidrs(annotation, value).cidrs());
      } catch (AnnotationFormatException e) {
        inUse.addAll(salvage(value));
        problems.add(
            new Problem(
                node.getKey(),
                e.getMessage() + "; the value is left as it is and none of it is handed out"));
      }
    }

    List<List<Cidr>> perPool = new ArrayList<>();
    for (Pool pool : pools) {
      perPool.add(allocate(pool, inUse, lacking.size()));
    }
    List<Assignment> assignments = new ArrayList<>();
    for (int i = 0; i < lacking.size(); i++) {
      List<Cidr> cidrs = new ArrayList<>();
      for (List<Cidr> fromPool : perPool) {
        cidrs.add(fromPool.get(i));
      }
      assignments.add(new Assignment(lacking.get(i), cidrs));
    }
    return new Plan(assignments, annotated, problems);
  }

  /** Every comma-separated item of a malformed value that is still a CIDR or an address. */
  private static List<Cidr> salvage(String value) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String item : value.split("[,\\s]+")) {
      if (item.isEmpty()) {
        continue;
      }
      try {
        cidrs.add(
            item.indexOf('/') >= 0
                ? Cidr.parseLenient(item).cidr()
                : Cidr.of(IpLiteral.parse(item), IpFamily.of(IpLiteral.parse(item)).bits()));
      } catch (IllegalArgumentException e) {
        // Nothing usable in this item.
      }
    }
    return cidrs;
  }

  /** The {@code count} lowest CIDRs of the pool that overlap nothing in use. */
  private static List<Cidr> allocate(Pool pool, List<Cidr> inUse, int count) {
    int bits = pool.cidr().family().bits();
    BigInteger block = BigInteger.ONE.shiftLeft(bits - pool.prefixLength());
    BigInteger poolStart = start(pool.cidr());
    BigInteger poolEnd = end(pool.cidr());
    List<BigInteger[]> used =
        inUse.stream()
            .filter(c -> c.overlaps(pool.cidr()))
            .map(c -> new BigInteger[] {start(c), end(c)})
            .collect(Collectors.toCollection(ArrayList::new));
    if (pool.cidr().family() == IpFamily.IPV6) {
      // ::ffff:0:0/96 holds IPv4-mapped addresses, which every parser here folds to IPv4.
      used.add(new BigInteger[] {IPV4_MAPPED_START, IPV4_MAPPED_END});
    }
    used.sort(Comparator.comparing((BigInteger[] r) -> r[0]));
    List<Cidr> free = new ArrayList<>(count);
    BigInteger next = poolStart;
    int u = 0;
    while (free.size() < count
        && next.add(block).subtract(BigInteger.ONE).compareTo(poolEnd) <= 0) {
      BigInteger last = next.add(block).subtract(BigInteger.ONE);
      while (u < used.size() && used.get(u)[1].compareTo(next) < 0) {
        u++; // ends before this candidate
      }
      if (u < used.size() && used.get(u)[0].compareTo(last) <= 0) {
        // Overlaps: continue at the first block after the used range.
        BigInteger after = used.get(u)[1].add(BigInteger.ONE);
        next = after.add(block).subtract(BigInteger.ONE).divide(block).multiply(block);
        continue;
      }
      free.add(cidr(next, pool.prefixLength(), pool.cidr().family()));
      next = next.add(block);
    }
    if (free.size() < count) {
      throw new PoolExhaustedException(
          "pool "
              + pool.cidr()
              + " has "
              + free.size()
              + " free /"
              + pool.prefixLength()
              + (free.size() == 1 ? "" : "s")
              + " but "
              + count
              + " node"
              + (count == 1 ? " needs" : "s need")
              + " one; nothing was changed (add a pool or use a longer prefix length)");
    }
    return free;
  }

  private static BigInteger start(Cidr cidr) {
    return new BigInteger(1, cidr.address().getAddress());
  }

  private static BigInteger end(Cidr cidr) {
    int hostBits = cidr.family().bits() - cidr.prefixLength();
    return start(cidr).add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE);
  }

  private static Cidr cidr(BigInteger address, int prefixLength, IpFamily family) {
    byte[] bytes = new byte[family.bytes()];
    byte[] raw = address.toByteArray();
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    try {
      // Inet6Address keeps an IPv4-mapped block of an IPv6 pool IPv6; no name lookup either way.
      return new Cidr(
          family == IpFamily.IPV4
              ? InetAddress.getByAddress(bytes)
              : Inet6Address.getByAddress(null, bytes, -1),
          prefixLength);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("impossible: " + bytes.length + " address bytes", e);
    }
  }
}
