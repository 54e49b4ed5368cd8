package io.xcluster.cni.router.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct nlmsghdr}: 16 bytes in native byte order in front of every netlink message.
 *
 * @param length nlmsg_len, header included, not padded
 * @param type nlmsg_type, e.g. {@link #NLMSG_ERROR} or {@code RTM_NEWROUTE}
 * @param flags nlmsg_flags
 * @param seq nlmsg_seq, chosen by the sender and echoed in replies
 * @param portId nlmsg_pid, 0 for the kernel
 */
record NetlinkHeader(int length, int type, int flags, int seq, int portId) {
  static final int SIZE = 16;

  static final int NLMSG_NOOP = 1;
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;
  static final int NLMSG_OVERRUN = 4;

  static final int NLM_F_REQUEST = 0x01;
  static final int NLM_F_MULTI = 0x02;
  static final int NLM_F_ACK = 0x04;
  static final int NLM_F_DUMP_INTR = 0x10;
  static final int NLM_F_REPLACE = 0x100;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;
  static final int NLM_F_DUMP = 0x300;

  /** In an error ack: the original request's payload was left out. */
  static final int NLM_F_CAPPED = 0x100;

  /** In an error ack: extended-ack attributes follow. */
  static final int NLM_F_ACK_TLVS = 0x200;

  /** Reads a header at the buffer's position and advances past it. */
  static NetlinkHeader parse(ByteBuffer buf) {
    if (buf.remaining() < SIZE) {
      throw new IllegalArgumentException(
          "truncated netlink header: " + buf.remaining() + " of " + SIZE + " bytes");
    }
    return new NetlinkHeader(
        buf.getInt(),
        Short.toUnsignedInt(buf.getShort()),
        Short.toUnsignedInt(buf.getShort()),
        buf.getInt(),
        buf.getInt());
  }

  /**
   * Starts a message at the buffer's position: writes a header with length 0 and returns where it
   * starts, for {@link #finish}.
   */
  static int begin(ByteBuffer buf, int type, int flags, int seq) {
    int start = buf.position();
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    return start;
  }

  /** Writes the length of the message that began at {@code start} and pads it to 4 bytes. */
  static void finish(ByteBuffer buf, int start) {
    buf.putInt(start, buf.position() - start);
    Attributes.pad(buf);
  }

  boolean has(int flag) {
    return (flags & flag) == flag;
  }
}
