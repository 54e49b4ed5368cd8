package io.xcluster.cni.router.netlink;

import java.io.IOException;
import java.util.Optional;

/**
 * A failed netlink call: a libc call that returned -1, or a kernel error acknowledgement. It
 * carries the errno and, when the kernel gave one, its extended-ack text, so the message reads
 * {@code gateway not reachable on any link (Network is unreachable)} rather than {@code -101}.
 */
public final class NetlinkException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String errnoText;
  private final transient Optional<String> extendedAck;

  /**
   * @param context what was being done, e.g. {@code "socket"}, or empty for a kernel ack
   * @param errno positive errno
   * @param extendedAck the kernel's NLMSGERR_ATTR_MSG text, if any
   */
  public NetlinkException(String context, int errno, Optional<String> extendedAck) {
    super(describe(context, errno, extendedAck));
    this.errno = errno;
    this.errnoText = Errno.text(errno);
    this.extendedAck = extendedAck;
  }

  /** The errno of a libc call that just failed on this thread. */
  static NetlinkException lastError(String call) {
    return new NetlinkException(call, LibC.errno(), Optional.empty());
  }

  /** Positive errno, e.g. 101 for ENETUNREACH. */
  public int errno() {
    return errno;
  }

  /** The C library's text for the errno, e.g. {@code Network is unreachable}. */
  public String errnoText() {
    return errnoText;
  }

  /** The kernel's extended-ack text, e.g. {@code Nexthop device is not up}. */
  public Optional<String> extendedAck() {
    return extendedAck;
  }

  /**
   * The reason in words without the context: {@code extended ack (strerror)} or {@code strerror}.
   */
  public String reason() {
    return extendedAck.map(m -> m + " (" + errnoText + ")").orElse(errnoText);
  }

  private static String describe(String context, int errno, Optional<String> extendedAck) {
    String reason =
        extendedAck.map(m -> m + " (" + Errno.text(errno) + ")").orElse(Errno.text(errno));
    return context.isEmpty() ? reason : context + ": " + reason;
  }
}
