package io.xcluster.cni.router.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One router per route protocol in a network namespace: two with the same protocol would delete
 * each other's routes. The lock is an advisory {@code flock}-style lock on {@code
 * <dir>/protocol-<P>-net<inode>.lock}, where the inode names the network namespace the routes live
 * in (the host's, for a hostNetwork pod), so routers of separate namespaces sharing one {@code
 * /run} never block each other. The kernel drops the lock when the process dies, so a crashed
 * router never blocks its successor.
 */
public final class ProtocolLock implements AutoCloseable {
  /** Where the locks live by default; a hostPath so that all containers on the host see them. */
  public static final Path DEFAULT_DIR = Path.of("/run/xcluster-cni");

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private ProtocolLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock for {@code protocol}, without waiting.
   *
   * @throws AlreadyLockedException when another router holds it
   * @throws IOException when the lock file cannot be created
   */
  public static ProtocolLock acquire(Path dir, int protocol) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("protocol-" + protocol + "-net" + networkNamespace() + ".lock");
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this JVM
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new AlreadyLockedException(protocol, file);
    }
    channel.truncate(0);
    channel.write(StandardCharsets.US_ASCII.encode(ProcessHandle.current().pid() + "\n"), 0);
    return new ProtocolLock(file, channel, lock);
  }

  /** The inode of this process's network namespace ({@code net:[4026531840]} gives the number). */
  static String networkNamespace() throws IOException {
    String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    return link.replaceAll("[^0-9]", "");
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }

  /** Another router owns the protocol on this host. */
  public static final class AlreadyLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    AlreadyLockedException(int protocol, Path file) {
      super(
          "another xcluster-cni router already runs with protocol "
              + protocol
              + " on this host (it holds "
              + file
              + "); every network needs its own PROTOCOL, and one router per protocol");
    }
  }
}
