package io.xcluster.cni.router.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files that appear whole or not at all: every write goes to a temporary file in the target's
 * directory, is flushed to disk, gets its mode, and is renamed over the target. A reader (a
 * container runtime exec'ing a plugin, kube-node reading its kubeconfig) sees the old file or the
 * new one, never a part; a running binary is never opened for writing, so there is no "text file
 * busy"; and writers racing on one target each rename a complete file, so the last one wins whole.
 *
 * <p>Temporary names start with {@code .} and end in {@code .xcni-tmp}, so CNI runtimes (which read
 * {@code *.conf}, {@code *.conflist}, {@code *.json}) never load a half-written one.
 */
public final class AtomicFiles {
  /** rw-------: kubeconfigs hold a bearer token. */
  public static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");

  /** rw-r--r--: configuration anyone may read. */
  public static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** rwxr-xr-x: programs. */
  public static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  static final String TMP_SUFFIX = ".xcni-tmp";

  private AtomicFiles() {}

  /**
   * Writes {@code content} to {@code target} with {@code mode}, unless the target already is a
   * regular file with exactly that content and mode.
   *
   * @return whether the file was written
   */
  public static boolean writeIfChanged(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    if (sameContent(target, content)
        && Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
      return false;
    }
    write(target, content, mode);
    return true;
  }

  /** Whether {@code target} is a regular file (not a link) holding exactly {@code content}. */
  public static boolean sameContent(Path target, byte[] content) throws IOException {
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (Files.size(target) != content.length) {
      return false;
    }
    return Arrays.equals(Files.readAllBytes(target), content);
  }

  /** Replaces {@code target} with a file holding {@code content}, mode {@code mode}. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path tmp = temporary(target);
    try {
      try (FileChannel ch = create(tmp, mode)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      commit(tmp, target, mode);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Replaces {@code target} with a copy of {@code source}, mode {@code mode}. */
  public static void copy(Path source, Path target, Set<PosixFilePermission> mode)
      throws IOException {
    Path tmp = temporary(target);
    try {
      try (FileChannel ch = create(tmp, mode);
          InputStream in = Files.newInputStream(source)) {
        OutputStream out = Channels.newOutputStream(ch);
        in.transferTo(out);
        out.flush();
        ch.force(true);
      }
      commit(tmp, target, mode);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Points the symbolic link {@code link} at {@code target} (relative or absolute), atomically. */
  public static void symlink(Path link, Path target) throws IOException {
    Path tmp = temporary(link);
    try {
      Files.createSymbolicLink(tmp, target);
      move(tmp, link);
      fsyncDirectory(link.toAbsolutePath().getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames a fully written directory into place. When {@code target} already exists (another
   * instance got there first with the same content) the temporary directory is removed instead.
   *
   * @return whether this call put the directory in place
   */
  public static boolean publishDirectory(Path tmpDir, Path target) throws IOException {
    try {
      Files.move(tmpDir, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(target.toAbsolutePath().getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      Trees.delete(tmpDir);
      return false;
    } catch (IOException e) {
      // rename(2) of a directory onto a non-empty directory fails with ENOTEMPTY, which the JDK
      // reports as a plain IOException ("Directory not empty").
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Trees.delete(tmpDir);
        return false;
      }
      throw e;
    }
  }

  /**
   * Removes temporary files that a killed writer left in {@code dir}: only ours (by name), and only
   * those older than {@code age}, so a concurrent writer's file in flight is never touched.
   *
   * @return how many were removed
   */
  public static int removeStaleTemporaries(Path dir, Duration age) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    Instant before = Instant.now().minus(age);
    int removed = 0;
    try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, ".*" + TMP_SUFFIX)) {
      for (Path t : tmps) {
        try {
          if (Files.getLastModifiedTime(t, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)
              && Files.deleteIfExists(t)) {
            removed++;
          }
        } catch (NoSuchFileException e) {
          // Renamed or removed meanwhile.
        }
      }
    }
    return removed;
  }

  /** A fresh temporary name next to {@code target}. */
  static Path temporary(Path target) {
    Path name = target.getFileName();
    return target.resolveSibling(
        "."
            + name
            + "."
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
            + TMP_SUFFIX);
  }

  /** Flushes a directory's entries (a rename is durable only after this). */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static FileChannel create(Path tmp, Set<PosixFilePermission> mode) throws IOException {
    return FileChannel.open(
        tmp,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(mode));
  }

  private static void commit(Path tmp, Path target, Set<PosixFilePermission> mode)
      throws IOException {
    // The umask may have narrowed the mode given at creation; set it exactly before publishing.
    Files.setPosixFilePermissions(tmp, mode);
    move(tmp, target);
    fsyncDirectory(target.toAbsolutePath().getParent());
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + tmp + " to " + target + " atomically", e);
    }
  }
}
