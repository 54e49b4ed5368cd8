package io.xcluster.cni.router.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A nexthop object message (kernel 5.3+): {@code struct nhmsg} (8 bytes) and the attributes of a
 * single-gateway nexthop. Group nexthops parse with no gateway.
 *
 * @param family AF_INET or AF_INET6 for a gateway nexthop, AF_UNSPEC for a group or a dump request
 * @param protocol nh_protocol, the owner
 * @param id NHA_ID, 0 when absent
 * @param gateway NHA_GATEWAY
 * @param oif NHA_OIF, 0 when absent
 */
record NexthopMessage(int family, int protocol, int id, Optional<InetAddress> gateway, int oif) {
  static final int RTM_NEWNEXTHOP = 104;
  static final int RTM_DELNEXTHOP = 105;
  static final int RTM_GETNEXTHOP = 106;

  static final int NHA_ID = 1;
  static final int NHA_OIF = 5;
  static final int NHA_GATEWAY = 6;

  static final int SIZE = 8;

  /** A dump request for every nexthop object. */
  static NexthopMessage dumpRequest() {
    return new NexthopMessage(RouteMessage.AF_UNSPEC, 0, 0, Optional.empty(), 0);
  }

  /** Writes a complete netlink message at the buffer's position. */
  void pack(ByteBuffer buf, int messageType, int messageFlags, int seq) {
    int start = NetlinkHeader.begin(buf, messageType, messageFlags, seq);
    buf.put((byte) family)
        .put((byte) RouteMessage.RT_SCOPE_UNIVERSE)
        .put((byte) protocol)
        .put((byte) 0) // resvd
        .putInt(0); // nh_flags
    if (id != 0) {
      Attributes.putU32(buf, NHA_ID, id);
    }
    gateway.ifPresent(a -> Attributes.putBytes(buf, NHA_GATEWAY, a.getAddress()));
    if (oif != 0) {
      Attributes.putU32(buf, NHA_OIF, oif);
    }
    NetlinkHeader.finish(buf, start);
  }

  /** Parses the payload of a nexthop message from the buffer's position to its limit. */
  static NexthopMessage parse(ByteBuffer payload) {
    if (payload.remaining() < SIZE) {
      throw new IllegalArgumentException(
          "truncated nhmsg: " + payload.remaining() + " of " + SIZE + " bytes");
    }
    int family = Byte.toUnsignedInt(payload.get());
    payload.get(); // nh_scope
    int protocol = Byte.toUnsignedInt(payload.get());
    payload.get(); // resvd
    payload.getInt(); // nh_flags
    Attributes attrs = Attributes.parse(payload);
    Optional<InetAddress> gateway =
        family == RouteMessage.AF_UNSPEC ? Optional.empty() : attrs.address(NHA_GATEWAY, family);
    return new NexthopMessage(
        family, protocol, attrs.u32(NHA_ID, 0), gateway, attrs.u32(NHA_OIF, 0));
  }
}
