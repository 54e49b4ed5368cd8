package io.xcluster.cni.router.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An rtnetlink route message: {@code struct rtmsg} (12 bytes) and the attributes this project uses.
 * {@code RTM_NEWROUTE}, {@code RTM_DELROUTE} and {@code RTM_GETROUTE} share it.
 *
 * <p>The table goes in {@code rtm_table} when it fits in a byte, and always in {@code RTA_TABLE},
 * which the kernel prefers; tables above 255 exist only there.
 *
 * @param family {@link #AF_INET} or {@link #AF_INET6}
 * @param dstLength prefix length of the destination
 * @param table routing table id, unsigned 32 bits
 * @param protocol rtm_protocol, the owner
 * @param scope rtm_scope
 * @param type rtm_type, e.g. {@link #RTN_UNICAST}
 * @param flags rtm_flags
 * @param dst RTA_DST, absent for a default route
 * @param gateway RTA_GATEWAY
 * @param oif RTA_OIF, 0 when absent
 * @param priority RTA_PRIORITY (the metric)
 * @param nexthopId RTA_NH_ID
 */
record RouteMessage(
    int family,
    int dstLength,
    int table,
    int protocol,
    int scope,
    int type,
    int flags,
    Optional<InetAddress> dst,
    Optional<InetAddress> gateway,
    int oif,
    OptionalInt priority,
    OptionalInt nexthopId) {

  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;

  static final int RTM_NEWROUTE = 24;
  static final int RTM_DELROUTE = 25;
  static final int RTM_GETROUTE = 26;

  static final int RT_TABLE_UNSPEC = 0;
  static final int RT_SCOPE_UNIVERSE = 0;
  static final int RT_SCOPE_NOWHERE = 255;
  static final int RTN_UNSPEC = 0;
  static final int RTN_UNICAST = 1;

  /** rtm_flags: a cached (cloned) route, e.g. an IPv6 exception; never one we installed. */
  static final int RTM_F_CLONED = 0x200;

  static final int RTA_DST = 1;
  static final int RTA_OIF = 4;
  static final int RTA_GATEWAY = 5;
  static final int RTA_PRIORITY = 6;
  static final int RTA_TABLE = 15;
  static final int RTA_NH_ID = 30;

  static final int SIZE = 12;

  /** Writes a complete netlink message (header, rtmsg, attributes) at the buffer's position. */
  void pack(ByteBuffer buf, int messageType, int messageFlags, int seq) {
    int start = NetlinkHeader.begin(buf, messageType, messageFlags, seq);
    buf.put((byte) family)
        .put((byte) dstLength)
        .put((byte) 0) // rtm_src_len
        .put((byte) 0) // rtm_tos
        .put((byte) (Integer.compareUnsigned(table, 255) <= 0 ? table : RT_TABLE_UNSPEC))
        .put((byte) protocol)
        .put((byte) scope)
        .put((byte) type)
        .putInt(flags);
    if (table != RT_TABLE_UNSPEC) {
      Attributes.putU32(buf, RTA_TABLE, table);
    }
    dst.ifPresent(a -> Attributes.putBytes(buf, RTA_DST, a.getAddress()));
    gateway.ifPresent(a -> Attributes.putBytes(buf, RTA_GATEWAY, a.getAddress()));
    if (oif != 0) {
      Attributes.putU32(buf, RTA_OIF, oif);
    }
    priority.ifPresent(p -> Attributes.putU32(buf, RTA_PRIORITY, p));
    nexthopId.ifPresent(id -> Attributes.putU32(buf, RTA_NH_ID, id));
    NetlinkHeader.finish(buf, start);
  }

  /**
   * Parses the payload of a route message (what follows the netlink header) from the buffer's
   * position to its limit.
   *
   * @throws IllegalArgumentException when it is truncated or malformed
   */
  static RouteMessage parse(ByteBuffer payload) {
    if (payload.remaining() < SIZE) {
      throw new IllegalArgumentException(
          "truncated rtmsg: " + payload.remaining() + " of " + SIZE + " bytes");
    }
    int family = Byte.toUnsignedInt(payload.get());
    int dstLength = Byte.toUnsignedInt(payload.get());
    payload.get(); // rtm_src_len
    payload.get(); // rtm_tos
    int table = Byte.toUnsignedInt(payload.get());
    int protocol = Byte.toUnsignedInt(payload.get());
    int scope = Byte.toUnsignedInt(payload.get());
    int type = Byte.toUnsignedInt(payload.get());
    int flags = payload.getInt();
    Attributes attrs = Attributes.parse(payload);
    return new RouteMessage(
        family,
        dstLength,
        attrs.u32(RTA_TABLE, table),
        protocol,
        scope,
        type,
        flags,
        attrs.address(RTA_DST, family),
        attrs.address(RTA_GATEWAY, family),
        attrs.u32(RTA_OIF, 0),
        attrs.u32(RTA_PRIORITY),
        attrs.u32(RTA_NH_ID));
  }
}
