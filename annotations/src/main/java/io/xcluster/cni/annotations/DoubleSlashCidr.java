package io.xcluster.cni.annotations;

import java.math.BigInteger;

/**
 * The original xcluster-cni's "double-slash" helper: {@code 172.20.0.0/16/24} with n = 5 is {@code
 * 172.20.5.0/24}. The number n fills the bits between the two prefix lengths, so one expression
 * numbers per-node CIDRs out of a pool.
 *
 * <p>Rules (as the original, with its error texts corrected): exactly three '/'-separated parts;
 * bits1 ≤ bits2; n &lt; 2^(bits2 − bits1) for any difference (the original checked only below 32);
 * IPv4 needs bits1 ≥ 8 and bits2 ≤ 32; IPv6 needs bits1 ≥ 48 and bits2 ≤ 128. The base address is
 * masked to bits1 first.
 */
public final class DoubleSlashCidr {
  private DoubleSlashCidr() {}

  /**
   * The n-th CIDR of length bits2 inside the pool.
   *
   * @throws IllegalArgumentException saying which rule was broken
   */
  public static Cidr create(String spec, BigInteger n) {
    String[] parts = spec.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "\"" + spec + "\" is not a double-slash CIDR such as 172.20.0.0/16/24");
    }
    int bits1 = bits(parts[1], "bits1");
    int bits2 = bits(parts[2], "bits2");
    if (bits1 > bits2) {
      throw new IllegalArgumentException(
          "bits1 (" + bits1 + ") must not be greater than bits2 (" + bits2 + ")");
    }
    if (n.signum() < 0) {
      throw new IllegalArgumentException("n (" + n + ") must not be negative");
    }
    if (n.bitLength() > bits2 - bits1) {
      throw new IllegalArgumentException(
          "n ("
              + n
              + ") does not fit in the "
              + (bits2 - bits1)
              + " bits between /"
              + bits1
              + " and /"
              + bits2
              + " (largest: "
              + BigInteger.ONE.shiftLeft(bits2 - bits1).subtract(BigInteger.ONE)
              + ")");
    }
    Cidr base;
    try {
      base = Cidr.parseLenient(parts[0] + "/" + parts[1]).cidr();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + parts[0] + "/" + parts[1] + "\" is not a CIDR: " + e.getMessage());
    }
    // A mapped base ("::ffff:10.0.0.0/104/120") was folded to IPv4: fold bits2 the same way.
    boolean folded = base.prefixLength() != bits1;
    if (folded) {
      bits1 -= 96;
      bits2 -= 96;
    }
    IpFamily family = base.family();
    if (bits2 > family.bits()) {
      throw new IllegalArgumentException(
          "bits2 (" + bits2 + ") exceeds " + family.bits() + " for " + family);
    }
    int minimum = family == IpFamily.IPV4 ? 8 : 48;
    if (bits1 < minimum) {
      throw new IllegalArgumentException(
          "bits1 (" + bits1 + ") is too low: it must be at least " + minimum + " for " + family);
    }
    BigInteger address = new BigInteger(1, base.address().getAddress());
    address = address.or(n.shiftLeft(family.bits() - bits2));
    byte[] bytes = new byte[family.bytes()];
    byte[] raw = address.toByteArray();
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    return new Cidr(IpLiteral.fromBytes(bytes), bits2);
  }

  private static int bits(String text, String name) {
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(name + " \"" + text + "\" is not a number");
    }
    return Integer.parseInt(text);
  }
}
