package io.xcluster.cni.router.netlink;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls a netlink client needs, bound with jnr-ffi. Buffers are direct {@link
 * ByteBuffer}s, passed at their position; lengths are passed explicitly. Every call saves errno,
 * read it with {@link #errno()} right after a call that returned -1, on the same thread.
 *
 * <p>Public only because jnr-ffi generates the implementation in its own class loader; it is not
 * part of the API.
 */
@SaveError
public interface LibC {
  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int NETLINK_ROUTE = 0;
  int SOL_SOCKET = 1;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_SNDBUFFORCE = 32;
  int SO_RCVBUFFORCE = 33;
  int SOL_NETLINK = 270;
  int NETLINK_ADD_MEMBERSHIP = 1;
  int NETLINK_CAP_ACK = 10;
  int NETLINK_EXT_ACK = 11;
  int NETLINK_GET_STRICT_CHK = 12;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;

  int socket(int domain, int type, int protocol);

  int bind(int fd, @In ByteBuffer addr, int addrlen);

  @ssize_t
  long send(int fd, @In ByteBuffer buf, @size_t long len, int flags);

  @ssize_t
  long recv(int fd, @Out ByteBuffer buf, @size_t long len, int flags);

  int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

  int getsockopt(int fd, int level, int optname, @Out int[] optval, @In @Out int[] optlen);

  /** For {@code struct timeval} options: {seconds, microseconds}. */
  int setsockopt(int fd, int level, int optname, @In long[] optval, int optlen);

  int open(String path, int flags);

  int setns(int fd, int nstype);

  int close(int fd);

  String strerror(int errnum);

  /**
   * The loaded library; loading happens on first use, so merely linking this class costs nothing.
   */
  static LibC get() {
    return Holder.LIBC;
  }

  /** errno of the last call on this thread. */
  static int errno() {
    return Runtime.getRuntime(Holder.LIBC).getLastError();
  }

  /** Lazy initialization holder: the JVM loads libc at the first {@link #get()}. */
  final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private Holder() {}
  }
}
