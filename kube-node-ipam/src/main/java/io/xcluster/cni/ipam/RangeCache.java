package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.Cidr;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cache {@code <dataDir>/kube-node.json}: the own Node's CIDRs, and what host-local answered to
 * VERSION, so that a warm ADD reads one small file and runs host-local once.
 *
 * <p>Readers never lock: the file is only ever replaced whole, by rename. Writers take an exclusive
 * lock on {@code kube-node.lock} next to it, re-read, and write a temporary file that they rename
 * over the cache. A file that cannot be parsed counts as missing and is replaced on the next write.
 */
public final class RangeCache {
  static final String FILE = "kube-node.json";
  static final String LOCK = "kube-node.lock";
  private static final int FORMAT = 1;

  /**
   * What host-local answered to VERSION, valid while its file is unchanged.
   *
   * @param path the executable
   * @param size its size in bytes
   * @param modified its modification time, in milliseconds
   * @param versions the CNI versions it speaks
   */
  public record Delegate(String path, long size, long modified, List<String> versions) {
    public Delegate {
      versions = List.copyOf(versions);
    }
  }

  /**
   * The cached state.
   *
   * @param node the Node the CIDRs came from, or null
   * @param annotation the annotation they came from, or null for spec.podCIDRs
   * @param cidrs the CIDRs, canonical and in order; null when unknown
   * @param delegate host-local's VERSION answer, or null
   */
  public record Entry(String node, String annotation, List<String> cidrs, Delegate delegate) {
    public Entry {
      cidrs = cidrs == null ? null : List.copyOf(cidrs);
    }

    static final Entry EMPTY = new Entry(null, null, null, null);

    /**
     * The CIDRs when they were read for this annotation (null for spec.podCIDRs) and, when the
     * configuration names the node, from that node; else null.
     */
    public List<String> cidrsFor(String wantedAnnotation, String wantedNode) {
      if (!Objects.equals(annotation, wantedAnnotation)) {
        return null;
      }
      return wantedNode == null || wantedNode.equals(node) ? cidrs : null;
    }

    Entry withRanges(String newNode, String newAnnotation, List<String> newCidrs) {
      return new Entry(newNode, newAnnotation, newCidrs, delegate);
    }

    Entry withDelegate(Delegate d) {
      return new Entry(node, annotation, cidrs, d);
    }
  }

  private final Path dir;
  private final Log log;

  public RangeCache(Path dir, Log log) {
    this.dir = dir;
    this.log = log;
  }

  public Path file() {
    return dir.resolve(FILE);
  }

  /** The cached state; {@link Entry#EMPTY} when there is none or it is corrupt. */
  public Entry read() {
    String text;
    try {
      text = Files.readString(file(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Entry.EMPTY;
    } catch (IOException e) {
      log.warn("cannot read the cache " + file() + ": " + e);
      return Entry.EMPTY;
    }
    try {
      return decode(Json.parseObject(text));
    } catch (Json.ParseException | RuntimeException e) {
      log.warn("ignoring the corrupt cache " + file() + ": " + e.getMessage());
      return Entry.EMPTY;
    }
  }

  /** A change to the cached state. */
  @FunctionalInterface
  public interface Change {
    Entry apply(Entry current);
  }

  /**
   * Applies a change under the lock: re-reads the file, applies {@code change}, and replaces the
   * file atomically when the result differs.
   *
   * @return the state after the change
   */
  public Entry update(Change change) throws IOException {
    Files.createDirectories(dir);
    // The file lock excludes other processes; within one JVM a second FileChannel lock would
    // throw OverlappingFileLockException instead of waiting, so threads queue here first.
    synchronized (RangeCache.class) {
      return updateLocked(change);
    }
  }

  private Entry updateLocked(Change change) throws IOException {
    try (FileChannel lock =
            FileChannel.open(
                dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      Entry current = read();
      Entry next = change.apply(current);
      if (!next.equals(current)) {
        write(next);
      }
      return next;
    }
  }

  private void write(Entry entry) throws IOException {
    Path tmp = dir.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      byte[] bytes = (Json.write(encode(entry)) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      try {
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static Map<String, Object> encode(Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", Long.valueOf(FORMAT));
    if (e.node() != null) {
      m.put("node", e.node());
    }
    if (e.annotation() != null) {
      m.put("annotation", e.annotation());
    }
    if (e.cidrs() != null) {
      m.put("cidrs", new ArrayList<Object>(e.cidrs()));
    }
    Delegate d = e.delegate();
    if (d != null) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("path", d.path());
      h.put("size", Long.valueOf(d.size()));
      h.put("modified", Long.valueOf(d.modified()));
      h.put("versions", new ArrayList<Object>(d.versions()));
      m.put("hostLocal", h);
    }
    return m;
  }

  static Entry decode(Map<String, Object> m) {
    Object format = m.get("format");
    if (!(format instanceof BigDecimal f) || f.intValue() != FORMAT) {
      throw new IllegalArgumentException("unknown format " + format);
    }
    List<String> cidrs = Json.strings(m, "cidrs");
    if (cidrs != null) {
      if (cidrs.isEmpty()) {
        throw new IllegalArgumentException("no CIDRs");
      }
      for (String c : cidrs) {
        Cidr.parse(c);
      }
    }
    Delegate delegate = null;
    Map<String, Object> h = Json.object(m, "hostLocal");
    if (h != null) {
      List<String> versions = Json.strings(h, "versions");
      if (Json.string(h, "path") == null || versions == null) {
        throw new IllegalArgumentException("incomplete hostLocal");
      }
      delegate =
          new Delegate(
              Json.string(h, "path"), number(h.get("size")), number(h.get("modified")), versions);
    }
    return new Entry(Json.string(m, "node"), Json.string(m, "annotation"), cidrs, delegate);
  }

  private static long number(Object o) {
    if (o instanceof BigDecimal d) {
      return d.longValueExact();
    }
    throw new IllegalArgumentException("not a number: " + o);
  }
}
