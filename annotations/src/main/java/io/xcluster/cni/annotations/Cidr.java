package io.xcluster.cni.annotations;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A canonical IP prefix: the network address has no host bits set. IPv4-mapped IPv6 prefixes are
 * folded to IPv4, so {@code ::ffff:20.0.0.0/120} is {@code 20.0.0.0/24}. Host routes stay CIDRs:
 * {@code 10.0.0.1/32} prints as {@code 10.0.0.1/32}, never as a bare address.
 *
 * @param address the network address, with all host bits zero
 * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) implements Comparable<Cidr> {

  public Cidr {
    IpFamily family = IpFamily.of(address);
    if (prefixLength < 0 || prefixLength > family.bits()) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range for " + family);
    }
    byte[] bytes = address.getAddress();
    if (!Arrays.equals(bytes, mask(bytes, prefixLength))) {
      throw new IllegalArgumentException(
          IpLiteral.format(address) + "/" + prefixLength + " has host bits set");
    }
  }

  /** The result of parsing a CIDR: the canonical prefix and whether host bits were cleared. */
  public record Parsed(Cidr cidr, boolean hostBitsCleared) {}

  /**
   * Parses {@code address/length}, clearing host bits, and never doing a name lookup.
   *
   * @throws IllegalArgumentException with a reason a person can act on, such as "prefix length 33
   *     exceeds 32"
   */
  public static Parsed parseLenient(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("no prefix length (expected address/length)");
    }
    if (text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("more than one '/'");
    }
    String lengthText = text.substring(slash + 1);
    if (lengthText.isEmpty()
        || lengthText.length() > 3
        || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "prefix length '" + lengthText + "' is not a number from 0 to 128");
    }
    int length = Integer.parseInt(lengthText);
    byte[] bytes = IpLiteral.parseBytes(text.substring(0, slash));
    int bits = bytes.length * 8;
    if (length > bits) {
      throw new IllegalArgumentException("prefix length " + length + " exceeds " + bits);
    }
    if (IpLiteral.isIpv4Mapped(bytes)) {
      if (length < 96) {
        throw new IllegalArgumentException(
            "an IPv4-mapped prefix needs a length of at least 96, not " + length);
      }
      bytes = Arrays.copyOfRange(bytes, 12, 16);
      length -= 96;
    }
    byte[] masked = mask(bytes, length);
    return new Parsed(new Cidr(IpLiteral.fromBytes(masked), length), !Arrays.equals(bytes, masked));
  }

  /**
   * Parses a CIDR that must already be canonical.
   *
   * @throws IllegalArgumentException when it is malformed or has host bits set
   */
  public static Cidr parse(String text) {
    Parsed parsed = parseLenient(text);
    if (parsed.hostBitsCleared()) {
      throw new IllegalArgumentException("host bits are set (the prefix is " + parsed.cidr() + ")");
    }
    return parsed.cidr();
  }

  /** The prefix of {@code length} bits that contains {@code address}. */
  public static Cidr of(InetAddress address, int length) {
    return new Cidr(IpLiteral.fromBytes(mask(address.getAddress(), length)), length);
  }

  public IpFamily family() {
    return IpFamily.of(address);
  }

  /** Whether {@code other} is an address inside this prefix. */
  public boolean contains(InetAddress other) {
    return IpFamily.of(other) == family()
        && Arrays.equals(mask(other.getAddress(), prefixLength), address.getAddress());
  }

  /** Whether the two prefixes share at least one address. */
  public boolean overlaps(Cidr other) {
    if (other.family() != family()) {
      return false;
    }
    int shorter = Math.min(prefixLength, other.prefixLength);
    return Arrays.equals(
        mask(address.getAddress(), shorter), mask(other.address.getAddress(), shorter));
  }

  /** Canonical text, {@code 10.0.0.0/24} or {@code fd00::/64}. */
  @Override
  public String toString() {
    return IpLiteral.format(address) + "/" + prefixLength;
  }

  /** IPv4 before IPv6, then by address, then shorter prefixes first. */
  @Override
  public int compareTo(Cidr o) {
    int c = family().compareTo(o.family());
    if (c != 0) {
      return c;
    }
    c = Arrays.compareUnsigned(address.getAddress(), o.address.getAddress());
    return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
  }

  static byte[] mask(byte[] bytes, int length) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.clamp(length - 8L * i, 0, 8);
      out[i] &= (byte) (0xff00 >> keep);
    }
    return out;
  }
}
