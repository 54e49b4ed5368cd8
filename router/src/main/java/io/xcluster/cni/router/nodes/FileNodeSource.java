package io.xcluster.cni.router.nodes;

import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Node;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes from a file ({@code --nodes-file}), for clusters without an API server the router can
 * reach: static pods, edge sites, an offline demo. The file is watched (a {@link WatchService} on
 * its directory, so an atomic rename or a ConfigMap's symlink swap is seen too) and checked every
 * {@link #POLL} as a fallback where events do not arrive.
 *
 * <p>A file that cannot be read or parsed changes nothing: the last good Nodes stay, and until a
 * first good read nothing counts as synced, so no route is deleted because of a bad file. An empty
 * file counts as bad (it is what a writer leaves between truncating and writing); a list with no
 * Nodes is {@code items: []}. Writers should still write elsewhere and rename into place: a file
 * cut short can be valid YAML with fewer Nodes.
 */
public final class FileNodeSource implements NodeSource {
  /** How often the file is checked when no event arrives. */
  public static final Duration POLL = Duration.ofMillis(250);

  /** How long a changed file must stay unchanged before it is read. */
  static final Duration SETTLE = Duration.ofMillis(30);

  private static final Logger log = LoggerFactory.getLogger(FileNodeSource.class);

  private final Path file;
  private final NodeProjection projection;
  private final Cache<V1Node> cache = new Cache<>();
  private final Lister<V1Node> lister = new Lister<>(cache);
  private volatile boolean synced;
  private volatile boolean closed;
  private List<V1Node> current = List.of();
  private Stamp stamp;
  private String lastError;
  private WatchService watchService;
  private Thread watcher;
  private Runnable onChange = () -> {};

  public FileNodeSource(Path file, NodeProjection projection) {
    this.file = file.toAbsolutePath();
    this.projection = projection;
  }

  /** What tells a changed file from an unchanged one without reading it. */
  private record Stamp(Object fileKey, long modified, long size) {}

  @Override
  public synchronized void start(Runnable onChange) throws IOException {
    this.onChange = onChange;
    Path dir = file.getParent();
    try {
      watchService = dir.getFileSystem().newWatchService();
      dir.register(
          watchService,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      log.warn(
          "Cannot watch {} ({}); checking it every {} ms", dir, e.getMessage(), POLL.toMillis());
      watchService = null;
    }
    check();
    watcher = Thread.ofPlatform().daemon().name("nodes-file").start(this::watch);
  }

  private void watch() {
    while (!closed) {
      try {
        if (watchService != null) {
          var key = watchService.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        } else {
          Thread.sleep(POLL.toMillis());
        }
        check();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        log.error("Checking {} failed", file, e);
      }
    }
  }

  /** Reads the file again if it changed; tells the listener if the Nodes changed. */
  public void check() {
    boolean changed;
    synchronized (this) {
      changed = reload();
    }
    if (changed) {
      onChange.run();
    }
  }

  private boolean reload() {
    Stamp now;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      now = new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    } catch (NoSuchFileException e) {
      report(file + " does not exist; keeping the last Nodes read");
      return false;
    } catch (IOException e) {
      report("cannot read " + file + ": " + e.getMessage() + "; keeping the last Nodes read");
      return false;
    }
    if (now.equals(stamp)) {
      return false;
    }
    if (!settled(now)) {
      return false; // still being written; the next poll looks again
    }
    List<V1Node> nodes;
    try {
      if (now.size() == 0 || Files.readString(file).isBlank()) {
        throw new IOException(file + " is empty (a list without Nodes is \"items: []\")");
      }
      nodes = NodesFile.read(file).stream().map(projection::slim).toList();
    } catch (IOException e) {
      // A writer may be half-way through; the next change or poll reads it again.
      report("cannot use the nodes file: " + e.getMessage() + "; keeping the last Nodes read");
      stamp = now;
      return false;
    }
    stamp = now;
    lastError = null;
    boolean firstSync = !synced;
    synced = true;
    if (nodes.equals(current)) {
      return firstSync;
    }
    log.info("Read {} Nodes from {}", nodes.size(), file);
    current = nodes;
    cache.replace(List.copyOf(nodes), "");
    return true;
  }

  /** Whether the file stays as {@code seen} for a moment: a writer in progress is not read. */
  private boolean settled(Stamp seen) {
    try {
      Thread.sleep(SETTLE.toMillis());
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return seen.equals(new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private void report(String message) {
    if (!Objects.equals(message, lastError)) {
      log.error(message);
      lastError = message;
    }
  }

  @Override
  public Lister<V1Node> lister() {
    return lister;
  }

  @Override
  public boolean hasSynced() {
    return synced;
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (watchService != null) {
        watchService.close();
      }
    } catch (IOException e) {
      log.debug("Closing the watch service: {}", e.getMessage());
    }
    if (watcher != null) {
      watcher.interrupt();
    }
  }
}
