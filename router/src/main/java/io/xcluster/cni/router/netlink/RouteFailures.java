package io.xcluster.cni.router.netlink;

import io.xcluster.cni.router.route.RouteOp;

/** The reason a person reads in a {@code RouteFailure}, from the kernel's refusal. */
final class RouteFailures {
  private static final int ENETUNREACH = 101;
  private static final int EHOSTUNREACH = 113;

  private RouteFailures() {}

  /**
   * What went wrong: a hint in words for the common errnos, then the kernel's extended-ack text and
   * the errno's text, e.g. {@code gateway not reachable on any link: Nexthop has invalid gateway
   * (Network is unreachable)}.
   */
  static String reason(RouteOp op, NetlinkException e) {
    String hint =
        switch (e.errno()) {
          case ENETUNREACH, EHOSTUNREACH ->
              op instanceof RouteOp.Replace ? "gateway not reachable on any link" : "";
          case Errno.ENODEV -> "no such device";
          case Errno.EEXIST -> "a route or nexthop is in the way";
          case Errno.ESRCH -> "no such route";
          default -> "";
        };
    if (hint.isEmpty()) {
      return e.reason();
    }
    return hint + e.extendedAck().map(m -> ": " + m).orElse("") + " (" + e.errnoText() + ")";
  }
}
