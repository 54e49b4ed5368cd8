package io.xcluster.cni.router.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message in a receive buffer: its header and its payload. The payload is a view of the
 * buffer, valid until the buffer is reused.
 */
record Message(NetlinkHeader header, ByteBuffer payload) {

  /**
   * Splits a buffer holding one datagram (from position to limit) into its messages, in order.
   *
   * @throws IllegalArgumentException when a message's length runs past the end
   */
  static List<Message> split(ByteBuffer buf) {
    List<Message> out = new ArrayList<>();
    int pos = buf.position();
    int end = buf.limit();
    while (end - pos >= NetlinkHeader.SIZE) {
      NetlinkHeader header = NetlinkHeader.parse(buf.position(pos));
      if (header.length() < NetlinkHeader.SIZE || header.length() > end - pos) {
        throw new IllegalArgumentException(
            "truncated netlink message: length "
                + header.length()
                + " at offset "
                + pos
                + " with "
                + (end - pos)
                + " bytes left");
      }
      ByteBuffer payload =
          buf.slice(pos + NetlinkHeader.SIZE, header.length() - NetlinkHeader.SIZE)
              .order(ByteOrder.nativeOrder());
      out.add(new Message(header, payload));
      pos += Attributes.align(header.length());
    }
    buf.position(end);
    return out;
  }
}
