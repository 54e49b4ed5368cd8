package io.xcluster.cni.router.netlink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Creates netlink sockets inside another network namespace. A netlink socket stays bound to the
 * namespace it was created in, so only the creation needs to happen there: on a dedicated thread
 * that enters the namespace with {@code setns(2)}, creates the socket and switches back before it
 * ends. No other thread of the JVM ever changes namespace.
 */
final class NetworkNamespaces {
  private NetworkNamespaces() {}

  /**
   * {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)} inside the namespace of the file {@code
   * netns}, e.g. {@code /run/netns/NAME} or {@code /proc/PID/ns/net}.
   */
  static int netlinkSocketIn(Path netns) throws IOException {
    FutureTask<Integer> task = new FutureTask<>(() -> createIn(netns));
    Thread thread = Thread.ofPlatform().name("netns-" + netns.getFileName()).unstarted(task);
    thread.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("opening a socket in " + netns);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("opening a socket in " + netns, e.getCause());
    }
  }

  /** Runs on the dedicated thread. */
  private static int createIn(Path netns) throws IOException {
    LibC libc = LibC.get();
    int home = openNamespace(Path.of("/proc/thread-self/ns/net"));
    try {
      int target = openNamespace(netns);
      try {
        if (libc.setns(target, LibC.CLONE_NEWNET) < 0) {
          throw NetlinkException.lastError("setns " + netns);
        }
      } finally {
        libc.close(target);
      }
      int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
      NetlinkException socketError = fd < 0 ? NetlinkException.lastError("socket") : null;
      if (libc.setns(home, LibC.CLONE_NEWNET) < 0) {
        // The thread ends right after this, so no code ever runs in the wrong namespace.
        NetlinkException e = NetlinkException.lastError("setns back to the home namespace");
        if (fd >= 0) {
          libc.close(fd);
        }
        throw e;
      }
      if (socketError != null) {
        throw socketError;
      }
      return fd;
    } finally {
      libc.close(home);
    }
  }

  private static int openNamespace(Path path) throws NetlinkException {
    int fd = LibC.get().open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw NetlinkException.lastError("open " + path);
    }
    return fd;
  }
}
