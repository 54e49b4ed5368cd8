package io.xcluster.cni.router.netlink;

import java.nio.ByteBuffer;

/**
 * A link message: {@code struct ifinfomsg} (16 bytes) with the name and MTU.
 *
 * @param index ifi_index
 * @param flags ifi_flags ({@link #IFF_UP}, {@link #IFF_LOWER_UP}, ...)
 * @param name IFLA_IFNAME, empty when absent
 * @param mtu IFLA_MTU, 0 when absent
 */
record LinkMessage(int index, int flags, String name, int mtu) {
  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;

  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;

  static final int IFF_UP = 0x1;
  static final int IFF_LOWER_UP = 0x10000;

  static final int SIZE = 16;

  /** Writes a dump request for every link at the buffer's position. */
  static void packDumpRequest(ByteBuffer buf, int seq) {
    int start =
        NetlinkHeader.begin(
            buf, RTM_GETLINK, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP, seq);
    buf.put(new byte[SIZE]); // AF_UNSPEC, no filter
    NetlinkHeader.finish(buf, start);
  }

  /** Parses the payload of a link message from the buffer's position to its limit. */
  static LinkMessage parse(ByteBuffer payload) {
    if (payload.remaining() < SIZE) {
      throw new IllegalArgumentException(
          "truncated ifinfomsg: " + payload.remaining() + " of " + SIZE + " bytes");
    }
    payload.get(); // ifi_family
    payload.get(); // pad
    payload.getShort(); // ifi_type
    int index = payload.getInt();
    int flags = payload.getInt();
    payload.getInt(); // ifi_change
    Attributes attrs = Attributes.parse(payload);
    return new LinkMessage(
        index, flags, attrs.string(IFLA_IFNAME).orElse(""), attrs.u32(IFLA_MTU, 0));
  }

  /** Administratively up and with a carrier. */
  boolean up() {
    return (flags & IFF_UP) != 0 && (flags & IFF_LOWER_UP) != 0;
  }
}
