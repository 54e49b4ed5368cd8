package io.xcluster.cni.router.netlink;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code NLMSG_ERROR}: an acknowledgement ({@code error == 0}) or a refusal ({@code error} is a
 * negative errno), with the header of the request it answers and, with {@code NETLINK_EXT_ACK}, the
 * kernel's message ({@code NLMSGERR_ATTR_MSG}).
 *
 * <p>Layout: {@code int error}, the request's {@code nlmsghdr}, the request's payload unless the
 * ack is capped ({@code NLM_F_CAPPED}), then attributes if {@code NLM_F_ACK_TLVS}.
 *
 * @param error 0 or a negative errno
 * @param request the header of the request this answers
 * @param message the extended-ack text
 */
record ErrorMessage(int error, NetlinkHeader request, Optional<String> message) {
  static final int NLMSGERR_ATTR_MSG = 1;

  /**
   * Parses the payload of an {@code NLMSG_ERROR} message from the buffer's position to its limit.
   *
   * @param header the header of the error message itself, for its flags
   */
  static ErrorMessage parse(NetlinkHeader header, ByteBuffer payload) {
    if (payload.remaining() < 4 + NetlinkHeader.SIZE) {
      throw new IllegalArgumentException(
          "truncated nlmsgerr: " + payload.remaining() + " of " + (4 + NetlinkHeader.SIZE));
    }
    int start = payload.position();
    int error = payload.getInt();
    NetlinkHeader request = NetlinkHeader.parse(payload);
    Optional<String> message = Optional.empty();
    if (header.has(NetlinkHeader.NLM_F_ACK_TLVS)) {
      int tlvs =
          header.has(NetlinkHeader.NLM_F_CAPPED)
              ? start + 4 + NetlinkHeader.SIZE
              : start + 4 + Attributes.align(request.length());
      if (tlvs > payload.limit()) {
        throw new IllegalArgumentException("nlmsgerr: request of " + request.length() + " bytes");
      }
      message = Attributes.parse(payload.position(tlvs)).string(NLMSGERR_ATTR_MSG);
    }
    return new ErrorMessage(error, request, message);
  }

  /**
   * The error of an {@code NLMSG_DONE} that ends a dump: {@code int error}, then attributes if
   * {@code NLM_F_ACK_TLVS}. Empty when the dump succeeded.
   */
  static Optional<NetlinkException> parseDone(NetlinkHeader header, ByteBuffer payload) {
    if (payload.remaining() < 4) {
      return Optional.empty(); // some old kernels send an empty NLMSG_DONE
    }
    int error = payload.getInt();
    if (error >= 0) {
      return Optional.empty();
    }
    Optional<String> message =
        header.has(NetlinkHeader.NLM_F_ACK_TLVS)
            ? Attributes.parse(payload).string(NLMSGERR_ATTR_MSG)
            : Optional.empty();
    return Optional.of(new NetlinkException("dump", -error, message));
  }

  /** This refusal as an exception, or empty for an acknowledgement. */
  Optional<NetlinkException> exception() {
    return error == 0 ? Optional.empty() : Optional.of(new NetlinkException("", -error, message));
  }
}
