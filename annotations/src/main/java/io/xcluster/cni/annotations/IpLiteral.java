package io.xcluster.cni.annotations;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IP address literals: parsing that never does a name lookup, and the canonical text form
 * (dotted quad for IPv4, RFC 5952 for IPv6).
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is folded to its IPv4 address, as Go's
 * {@code net.ParseIP} and the original xcluster-cni do.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException with a reason a person can act on
   */
  public static InetAddress parse(String text) {
    return fromBytes(parseBytes(text));
  }

  /**
   * Parses a literal into 4 or 16 bytes. IPv4-mapped IPv6 is returned as 16 bytes, so a caller that
   * must adjust a prefix length can tell.
   */
  static byte[] parseBytes(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty address");
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text);
    }
    return parseIpv4(text);
  }

  /** The address for 4 or 16 bytes; 16 bytes of an IPv4-mapped address give the IPv4 address. */
  static InetAddress fromBytes(byte[] bytes) {
    try {
      // getByAddress folds IPv4-mapped IPv6 to Inet4Address and never does a lookup.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + bytes.length + " bytes", e);
    }
  }

  static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static byte[] parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int i = 0;
    int n = text.length();
    while (true) {
      int start = i;
      int value = 0;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        value = value * 10 + (text.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          throw new IllegalArgumentException("IPv4 field has more than 3 digits");
        }
      }
      if (i == start) {
        throw new IllegalArgumentException(
            i < n
                ? "unexpected character '" + printable(text.charAt(i)) + "'"
                : "an IPv4 address has 4 fields");
      }
      if (i - start > 1 && text.charAt(start) == '0') {
        throw new IllegalArgumentException("IPv4 field has a leading zero");
      }
      if (value > 255) {
        throw new IllegalArgumentException("IPv4 field " + value + " exceeds 255");
      }
      out[part++] = (byte) value;
      if (part == 4) {
        if (i != n) {
          throw new IllegalArgumentException(
              "unexpected character '" + printable(text.charAt(i)) + "' after the 4th field");
        }
        return out;
      }
      if (i == n || text.charAt(i) != '.') {
        throw new IllegalArgumentException("an IPv4 address has 4 fields");
      }
      i++;
    }
  }

  private static byte[] parseIpv6(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            c == '%'
                ? "zone indexes (%" + text.substring(i + 1) + ") are not allowed"
                : "unexpected character '" + printable(c) + "'");
      }
    }
    byte[] out = new byte[16];
    int doubleColon = text.indexOf("::");
    if (doubleColon < 0) {
      if (groups(text, true, out, 0) != 16) {
        throw new IllegalArgumentException("an IPv6 address has 8 groups (or '::')");
      }
      return out;
    }
    if (text.indexOf("::", doubleColon + 1) >= 0) {
      throw new IllegalArgumentException("'::' appears more than once");
    }
    int headLength = groups(text.substring(0, doubleColon), false, out, 0);
    byte[] tail = new byte[16];
    int tailLength = groups(text.substring(doubleColon + 2), true, tail, 0);
    if (headLength + tailLength > 14) {
      throw new IllegalArgumentException("too many groups for an IPv6 address with '::'");
    }
    System.arraycopy(tail, 0, out, 16 - tailLength, tailLength);
    return out;
  }

  /**
   * Parses colon-separated hex groups into {@code out} from {@code offset}; where {@code ipv4Last},
   * the last group may be a dotted IPv4 address. Returns the number of bytes written.
   */
  private static int groups(String part, boolean ipv4Last, byte[] out, int offset) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] fields = part.split(":", -1);
    int pos = offset;
    for (int f = 0; f < fields.length; f++) {
      String field = fields[f];
      if (field.isEmpty()) {
        throw new IllegalArgumentException("empty group");
      }
      if (field.indexOf('.') >= 0) {
        if (!ipv4Last || f != fields.length - 1) {
          throw new IllegalArgumentException("an embedded IPv4 address must come last");
        }
        if (pos + 4 > 16) {
          throw new IllegalArgumentException("too many groups for an IPv6 address");
        }
        System.arraycopy(parseIpv4(field), 0, out, pos, 4);
        pos += 4;
        continue;
      }
      if (field.length() > 4) {
        throw new IllegalArgumentException("group '" + field + "' has more than 4 hex digits");
      }
      if (pos + 2 > 16) {
        throw new IllegalArgumentException("too many groups for an IPv6 address");
      }
      int value = Integer.parseInt(field, 16);
      out[pos++] = (byte) (value >> 8);
      out[pos++] = (byte) value;
    }
    return pos - offset;
  }

  /** The canonical text of an address: dotted quad, or RFC 5952 for IPv6. */
  public static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    return formatIpv6(address.getAddress());
  }

  static String formatIpv6(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952 4.2: the longest run of two or more zero groups becomes "::", the first if tied.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
