package io.xcluster.cni.router.install;

import java.io.IOException;
import java.net.URI;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps kube-node's kubeconfig valid for as long as the daemon runs. The kubelet rotates the pod's
 * projected service-account token (at 80% of its lifetime, and the token dies with the pod); a
 * kubeconfig written once at install goes stale after an hour (multus-cni #852, rke2 #9313, calico
 * #8368). This refresher watches the token directory with inotify (the kubelet swaps its {@code
 * ..data} link on every rotation) and also re-reads it every {@code period}, and rewrites the
 * kubeconfig, atomically and mode 0600, whenever its content would change.
 *
 * <p>Errors (a missing file, a bad token) are logged and retried at the next event or period; they
 * never stop the daemon.
 */
public final class TokenRefresher implements AutoCloseable {
  /** How often the token is re-read even without a file event. */
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

  private final ServiceAccountFiles serviceAccount;
  private final InstanceLayout layout;
  private final URI server;
  private final Duration period;
  private volatile Instant lastSuccess = Instant.EPOCH;
  private volatile Optional<String> lastError = Optional.empty();
  private WatchService watch;
  private Thread thread;

  /**
   * @param serviceAccount the pod's token and CA
   * @param layout where the instance's kubeconfig goes
   * @param server the API server written into the kubeconfig
   * @param period how often to re-read without an event
   */
  public TokenRefresher(
      ServiceAccountFiles serviceAccount, InstanceLayout layout, URI server, Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
    this.serviceAccount = serviceAccount;
    this.layout = layout;
    this.server = server;
    this.period = period;
  }

  /**
   * Reads the token and CA now and rewrites the kubeconfig if it differs.
   *
   * @return whether the file was written
   * @throws IOException when a file cannot be read or written
   * @throws IllegalArgumentException when the token or CA is unusable
   */
  public boolean refreshNow() throws IOException {
    Kubeconfig k =
        new Kubeconfig(layout.instance(), server, serviceAccount.caPem(), serviceAccount.token());
    Files.createDirectories(layout.ownDir());
    boolean written =
        AtomicFiles.writeIfChanged(layout.kubeconfig(), k.bytes(), AtomicFiles.PRIVATE);
    lastSuccess = Instant.now();
    lastError = Optional.empty();
    if (written) {
      LOG.info("rewrote {} with the current service-account token", layout.kubeconfig());
    }
    return written;
  }

  /** Starts the background thread: one refresh now, then on every token event and period. */
  public synchronized TokenRefresher start() throws IOException {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    watch = FileSystems.getDefault().newWatchService();
    serviceAccount
        .dir()
        .register(
            watch,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
    thread =
        Thread.ofPlatform().daemon().name("token-refresher-" + layout.instance()).start(this::run);
    return this;
  }

  /** When the kubeconfig was last found or made current; {@link Instant#EPOCH} before that. */
  public Instant lastSuccess() {
    return lastSuccess;
  }

  /** The last refresh's error, until a refresh succeeds. */
  public Optional<String> lastError() {
    return lastError;
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        refreshNow();
      } catch (IOException | RuntimeException e) {
        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!lastError.equals(Optional.of(why))) {
          LOG.warn("cannot refresh {}: {}", layout.kubeconfig(), why);
        }
        lastError = Optional.of(why);
      }
      try {
        WatchKey key = watch.poll(period.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          // The kubelet's atomic writer makes several entries change at once; take them all as one.
          do {
            key.pollEvents();
            key.reset();
            key = watch.poll(50, TimeUnit.MILLISECONDS);
          } while (key != null);
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (thread != null) {
      thread.interrupt();
      watch.close();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }
}
