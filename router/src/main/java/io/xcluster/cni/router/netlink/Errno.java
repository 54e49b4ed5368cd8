package io.xcluster.cni.router.netlink;

/** errno numbers the netlink code acts on, and their text from the C library. */
final class Errno {
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EEXIST = 17;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int ENOBUFS = 105;

  private Errno() {}

  /** {@code strerror(errno)}, e.g. {@code Network is unreachable}. */
  static String text(int errno) {
    return LibC.get().strerror(errno);
  }
}
