package io.xcluster.cni.router.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Netlink attributes ({@code struct rtattr}/{@code struct nlattr}: u16 length, u16 type, value,
 * padded to 4 bytes): writing them, and a parsed set indexed by type.
 *
 * <p>Numbers are in native byte order, addresses in network order, as the kernel has them.
 */
final class Attributes {
  static final int HEADER = 4;
  private static final int MAX_TYPE = 64;
  private static final int TYPE_MASK = 0x3fff;

  private final ByteBuffer buf;
  private final int[] offset = new int[MAX_TYPE];
  private final int[] length = new int[MAX_TYPE];

  private Attributes(ByteBuffer buf) {
    this.buf = buf;
  }

  /**
   * Parses the attributes from the buffer's position to its limit. The result reads from {@code
   * buf}, so it is valid as long as the buffer's content is. A later attribute of the same type
   * wins; types beyond those the kernel defines for routes, links and nexthops are skipped.
   *
   * @throws IllegalArgumentException when an attribute runs past the end (truncated)
   */
  static Attributes parse(ByteBuffer buf) {
    Attributes attrs = new Attributes(buf);
    int pos = buf.position();
    int end = buf.limit();
    while (end - pos >= HEADER) {
      int len = Short.toUnsignedInt(buf.getShort(pos));
      int type = Short.toUnsignedInt(buf.getShort(pos + 2)) & TYPE_MASK;
      if (len < HEADER || len > end - pos) {
        throw new IllegalArgumentException(
            "truncated attribute of type "
                + type
                + ": length "
                + len
                + " at offset "
                + pos
                + " with "
                + (end - pos)
                + " bytes left");
      }
      if (type < MAX_TYPE) {
        attrs.offset[type] = pos + HEADER;
        attrs.length[type] = len - HEADER;
      }
      pos += align(len);
    }
    return attrs;
  }

  boolean has(int type) {
    return offset[type] != 0;
  }

  OptionalInt u32(int type) {
    if (!has(type)) {
      return OptionalInt.empty();
    }
    expect(type, 4);
    return OptionalInt.of(buf.getInt(offset[type]));
  }

  int u32(int type, int absent) {
    return u32(type).orElse(absent);
  }

  /** The value as bytes, or empty. */
  Optional<byte[]> bytes(int type) {
    if (!has(type)) {
      return Optional.empty();
    }
    byte[] out = new byte[length[type]];
    buf.get(offset[type], out);
    return Optional.of(out);
  }

  /** A NUL-terminated string value. */
  Optional<String> string(int type) {
    return bytes(type)
        .map(
            b -> {
              int n = 0;
              while (n < b.length && b[n] != 0) {
                n++;
              }
              return new String(b, 0, n, StandardCharsets.UTF_8);
            });
  }

  /**
   * An address value of the given family ({@code AF_INET} 2 or {@code AF_INET6} 10). An IPv4-mapped
   * IPv6 address stays an {@link Inet6Address}: the kernel's IPv6 route is not an IPv4 route.
   */
  Optional<InetAddress> address(int type, int family) {
    if (!has(type)) {
      return Optional.empty();
    }
    expect(type, family == RouteMessage.AF_INET ? 4 : 16);
    return bytes(type).map(Attributes::address);
  }

  static InetAddress address(byte[] bytes) {
    try {
      return bytes.length == 16
          ? Inet6Address.getByAddress(null, bytes, -1)
          : Inet4Address.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an address of " + bytes.length + " bytes", e);
    }
  }

  private void expect(int type, int size) {
    if (length[type] != size) {
      throw new IllegalArgumentException(
          "attribute of type " + type + " has " + length[type] + " bytes, expected " + size);
    }
  }

  static void putU32(ByteBuffer buf, int type, int value) {
    buf.putShort((short) (HEADER + 4)).putShort((short) type).putInt(value);
  }

  static void putBytes(ByteBuffer buf, int type, byte[] value) {
    buf.putShort((short) (HEADER + value.length)).putShort((short) type).put(value);
    pad(buf);
  }

  static int align(int n) {
    return (n + 3) & ~3;
  }

  static void pad(ByteBuffer buf) {
    while ((buf.position() & 3) != 0) {
      buf.put((byte) 0);
    }
  }
}
