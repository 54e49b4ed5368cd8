package io.xcluster.cni.router.netlink;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code NETLINK_ROUTE} socket with reused direct send and receive buffers, and the two exchanges
 * rtnetlink has: pipelined requests whose answers are tied back by sequence number, and dumps.
 *
 * <p>Not thread-safe: one thread at a time (the owner serializes calls).
 */
final class NetlinkSocket implements Closeable {
  /** Receive buffer: the kernel's dump datagrams are at most 32 KiB. */
  private static final int RX_BUFFER = 64 * 1024;

  private static final int TX_BUFFER = 256 * 1024;

  /** Room kept free at the end of the send buffer: larger than any request we write. */
  private static final int MAX_REQUEST = 1024;

  /** Socket receive buffer asked for; acks of a whole window and big dumps must fit. */
  private static final int SO_RCVBUF_WANTED = 8 * 1024 * 1024;

  /** What one queued acknowledgement costs in the socket receive buffer, generously. */
  private static final int ACK_TRUESIZE = 2048;

  private static final int MAX_WINDOW = 1024;
  private static final int DUMP_ATTEMPTS = 10;

  private final int fd;
  private final ByteBuffer tx = ByteBuffer.allocateDirect(TX_BUFFER).order(ByteOrder.nativeOrder());
  private final ByteBuffer rx = ByteBuffer.allocateDirect(RX_BUFFER).order(ByteOrder.nativeOrder());
  private final int window;
  private final AtomicBoolean closed = new AtomicBoolean();
  private int seq = (int) (System.nanoTime() & 0x3fffffff);

  private NetlinkSocket(int fd) throws NetlinkException {
    this.fd = fd;
    bind(0);
    setOption(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
    setOption(LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1);
    // Kernel-side dump filtering (Linux 4.20+); callers filter again on their side either way.
    setOption(LibC.SOL_NETLINK, LibC.NETLINK_GET_STRICT_CHK, 1);
    if (!setOption(LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, 2 * TX_BUFFER)) {
      setOption(LibC.SOL_SOCKET, LibC.SO_SNDBUF, 2 * TX_BUFFER);
    }
    if (!setOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, SO_RCVBUF_WANTED)) {
      setOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, SO_RCVBUF_WANTED);
    }
    this.window = Math.clamp(receiveBufferSize() / ACK_TRUESIZE, 16, MAX_WINDOW);
  }

  /**
   * Opens a socket in this process's network namespace, or in the one of the file {@code netns}.
   */
  static NetlinkSocket open(Optional<Path> netns) throws IOException {
    int fd;
    if (netns.isPresent()) {
      fd = NetworkNamespaces.netlinkSocketIn(netns.get());
    } else {
      fd =
          LibC.get().socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
      if (fd < 0) {
        throw NetlinkException.lastError("socket(AF_NETLINK, NETLINK_ROUTE)");
      }
    }
    try {
      return new NetlinkSocket(fd);
    } catch (NetlinkException e) {
      LibC.get().close(fd);
      throw e;
    }
  }

  /** Joins multicast groups ({@code RTNLGRP_*}) for a monitor. */
  void subscribe(int... groups) throws NetlinkException {
    for (int group : groups) {
      if (LibC.get()
              .setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_ADD_MEMBERSHIP, new int[] {group}, 4)
          < 0) {
        throw NetlinkException.lastError("join multicast group " + group);
      }
    }
  }

  /** Makes {@link #receive()} return an empty buffer after {@code millis} without data. */
  void receiveTimeout(int millis) throws NetlinkException {
    long[] timeval = {millis / 1000, (millis % 1000) * 1000L};
    if (LibC.get().setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval, 16) < 0) {
      throw NetlinkException.lastError("setsockopt SO_RCVTIMEO");
    }
  }

  /**
   * Writes request {@code index} of an exchange into {@code buf} with sequence number {@code seq}.
   */
  @FunctionalInterface
  interface RequestWriter {
    void write(int index, ByteBuffer buf, int seq);
  }

  /** Takes a data reply (not an ack) to request {@code index}. */
  @FunctionalInterface
  interface ReplyHandler {
    void reply(int index, Message message);
  }

  /**
   * Sends {@code count} requests, many per {@code send}, and collects one answer per request: an
   * {@code NLMSG_ERROR} (acknowledgement or refusal), or a single data reply for a request without
   * {@code NLM_F_ACK} (such as an {@code RTM_GETROUTE} lookup). Requests are answered in order, so
   * a refusal never stops the others.
   *
   * @return per request, the kernel's refusal, or null when it was acknowledged or answered
   * @throws IOException when the socket fails; the outcome of requests in flight is then unknown
   */
  NetlinkException[] exchange(int count, RequestWriter writer, ReplyHandler replies)
      throws IOException {
    NetlinkException[] refusals = new NetlinkException[count];
    int next = 0;
    while (next < count) {
      tx.clear();
      int base = seq;
      int n = 0;
      while (next + n < count && n < window && tx.remaining() >= MAX_REQUEST) {
        writer.write(next + n, tx, base + n);
        n++;
      }
      seq = base + n;
      send();
      int pending = n;
      boolean[] answered = new boolean[n];
      while (pending > 0) {
        for (Message m : Message.split(receive())) {
          int i = m.header().seq() - base;
          if (i < 0 || i >= n || answered[i]) {
            continue; // a late answer to an earlier exchange
          }
          if (m.header().type() == NetlinkHeader.NLMSG_ERROR) {
            refusals[next + i] =
                ErrorMessage.parse(m.header(), m.payload()).exception().orElse(null);
          } else {
            replies.reply(next + i, m);
          }
          answered[i] = true;
          pending--;
        }
      }
      next += n;
    }
    return refusals;
  }

  /**
   * Runs a dump and parses every message, retrying from the start when the kernel marks it
   * inconsistent ({@code NLM_F_DUMP_INTR}: the table changed while it was being read).
   *
   * @param request writes the dump request with the given sequence number
   * @throws NetlinkException when the kernel refuses the dump
   */
  <T> List<T> dump(RequestWriter request, DumpCollector.Parser<T> parser) throws IOException {
    for (int attempt = 1; ; attempt++) {
      int dumpSeq = seq++;
      tx.clear();
      request.write(0, tx, dumpSeq);
      send();
      DumpCollector<T> collector = new DumpCollector<>(dumpSeq, parser);
      while (!collector.take(receive())) {
        // until NLMSG_DONE
      }
      if (!collector.interrupted()) {
        return collector.results();
      }
      if (attempt == DUMP_ATTEMPTS) {
        throw new IOException(
            "dump interrupted by concurrent changes " + DUMP_ATTEMPTS + " times in a row");
      }
    }
  }

  /**
   * Receives one datagram into the reused receive buffer and returns it (position 0, limit its
   * length). It is empty when a receive timeout expired.
   *
   * @throws NetlinkException with errno ENOBUFS when the kernel dropped messages for this socket
   */
  ByteBuffer receive() throws NetlinkException {
    rx.clear();
    while (true) {
      long n = LibC.get().recv(fd, rx, rx.capacity(), 0);
      if (n >= 0) {
        return rx.limit((int) n);
      }
      int errno = LibC.errno();
      if (errno == Errno.EAGAIN) {
        return rx.limit(0);
      }
      if (errno != Errno.EINTR) {
        throw new NetlinkException("recv", errno, Optional.empty());
      }
    }
  }

  /**
   * Sends what was written to the send buffer, from 0 to its position, as one datagram. (jnr-ffi
   * passes a direct buffer's address at its position, so the buffer is flipped first.)
   */
  private void send() throws NetlinkException {
    tx.flip();
    while (LibC.get().send(fd, tx, tx.remaining(), 0) < 0) {
      int errno = LibC.errno();
      if (errno != Errno.EINTR) {
        throw new NetlinkException("send", errno, Optional.empty());
      }
    }
  }

  private void bind(int groups) throws NetlinkException {
    ByteBuffer addr = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
    addr.putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups).flip();
    if (LibC.get().bind(fd, addr, 12) < 0) {
      throw NetlinkException.lastError("bind");
    }
  }

  /** Sets an int option; false when the kernel does not have it or refuses it. */
  private boolean setOption(int level, int name, int value) {
    return LibC.get().setsockopt(fd, level, name, new int[] {value}, 4) == 0;
  }

  private int receiveBufferSize() throws NetlinkException {
    int[] value = {0};
    int[] length = {4};
    if (LibC.get().getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, value, length) < 0) {
      throw NetlinkException.lastError("getsockopt SO_RCVBUF");
    }
    return value[0];
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LibC.get().close(fd);
    }
  }
}
