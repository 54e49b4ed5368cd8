package io.xcluster.cni.router.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * An interface address message: {@code struct ifaddrmsg} (8 bytes) with the address.
 *
 * @param family AF_INET or AF_INET6
 * @param prefixLength ifa_prefixlen
 * @param index ifa_index, the link
 * @param address IFA_LOCAL if present (IPv4), else IFA_ADDRESS
 */
record AddressMessage(int family, int prefixLength, int index, Optional<InetAddress> address) {
  static final int RTM_NEWADDR = 20;
  static final int RTM_GETADDR = 22;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;

  static final int SIZE = 8;

  /** Writes a dump request for every address at the buffer's position. */
  static void packDumpRequest(ByteBuffer buf, int seq) {
    int start =
        NetlinkHeader.begin(
            buf, RTM_GETADDR, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP, seq);
    buf.put(new byte[SIZE]); // AF_UNSPEC, no filter
    NetlinkHeader.finish(buf, start);
  }

  /** Parses the payload of an address message from the buffer's position to its limit. */
  static AddressMessage parse(ByteBuffer payload) {
    if (payload.remaining() < SIZE) {
      throw new IllegalArgumentException(
          "truncated ifaddrmsg: " + payload.remaining() + " of " + SIZE + " bytes");
    }
    int family = Byte.toUnsignedInt(payload.get());
    int prefixLength = Byte.toUnsignedInt(payload.get());
    payload.get(); // ifa_flags
    payload.get(); // ifa_scope
    int index = payload.getInt();
    Attributes attrs = Attributes.parse(payload);
    Optional<InetAddress> address = attrs.address(IFA_LOCAL, family);
    if (address.isEmpty()) {
      address = attrs.address(IFA_ADDRESS, family);
    }
    return new AddressMessage(family, prefixLength, index, address);
  }
}
