package io.xcluster.cni.router.route;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;

/**
 * A {@link Cidr} as two longs, for the planner's hot loops: comparing and overlap-testing keys
 * costs no allocation (a {@code Cidr} copies its address bytes on every comparison). The order is
 * the same as {@link Cidr#compareTo}: IPv4 first, then by address, then shorter prefixes first.
 *
 * @param ipv6 the family
 * @param hi the first 64 address bits (an IPv4 address sits in the top 32 of them)
 * @param lo the last 64 address bits (zero for IPv4)
 * @param length the prefix length
 */
public record PrefixKey(boolean ipv6, long hi, long lo, int length)
    implements Comparable<PrefixKey> {

  public static PrefixKey of(Cidr cidr) {
    byte[] b = cidr.address().getAddress();
    if (cidr.family() == IpFamily.IPV4) {
      return new PrefixKey(false, bits(b, 0, 4) << 32, 0, cidr.prefixLength());
    }
    return new PrefixKey(true, bits(b, 0, 8), bits(b, 8, 8), cidr.prefixLength());
  }

  private static long bits(byte[] b, int from, int count) {
    long v = 0;
    for (int i = from; i < from + count; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  /** Whether the two prefixes share at least one address. */
  public boolean overlaps(PrefixKey o) {
    if (ipv6 != o.ipv6) {
      return false;
    }
    int m = Math.min(length, o.length);
    long maskHi = m >= 64 ? -1L : m == 0 ? 0L : -1L << (64 - m);
    long maskLo = m <= 64 ? 0L : m >= 128 ? -1L : -1L << (128 - m);
    return ((hi ^ o.hi) & maskHi) == 0 && ((lo ^ o.lo) & maskLo) == 0;
  }

  @Override
  public int compareTo(PrefixKey o) {
    if (ipv6 != o.ipv6) {
      return ipv6 ? 1 : -1;
    }
    int c = Long.compareUnsigned(hi, o.hi);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(lo, o.lo);
    return c != 0 ? c : Integer.compare(length, o.length);
  }
}
