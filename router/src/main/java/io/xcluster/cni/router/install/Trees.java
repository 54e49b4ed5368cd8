package io.xcluster.cni.router.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Directory trees: copy with modes and links, delete, and a content digest. */
final class Trees {
  private Trees() {}

  /**
   * Copies {@code source} into the not yet existing {@code target}: regular files with their
   * permission bits, symbolic links as links, every file flushed to disk.
   */
  static void copy(Path source, Path target) throws IOException {
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectory(target.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path to = target.resolve(source.relativize(file).toString());
            if (attrs.isSymbolicLink()) {
              Files.createSymbolicLink(to, Files.readSymbolicLink(file));
            } else {
              Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
              try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
                ch.force(true);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Path to = target.resolve(source.relativize(dir).toString());
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(dir));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Deletes a tree; links are removed, never followed. Missing is fine. */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
              }
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // Someone else removed it meanwhile.
    }
  }

  /**
   * SHA-256 over every entry's relative path, kind, executable bit and content (link targets for
   * links), in sorted order: two trees with the same digest install the same program.
   */
  static String digest(Path root) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(entries::add);
    }
    entries.sort((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString()));
    byte[] buf = new byte[64 * 1024];
    for (Path p : entries) {
      md.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      if (Files.isSymbolicLink(p)) {
        md.update((byte) 'l');
        md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
      } else if (Files.isDirectory(p)) {
        md.update((byte) 'd');
      } else {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
        md.update((byte) (mode.contains(PosixFilePermission.OWNER_EXECUTE) ? 'x' : 'f'));
        try (InputStream in = Files.newInputStream(p)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
          }
        }
      }
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
