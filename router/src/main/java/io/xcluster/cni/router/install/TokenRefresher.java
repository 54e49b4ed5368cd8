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
 * Keeps kube-node's kubeconfig valid for as long as the daemon runs. A kubeconfig written once at
 * install goes stale: the pod's projected token is rotated by the kubelet and dies with the pod
 * (multus-cni #852, rke2 #9313, calico #8368). This refresher rewrites the kubeconfig, atomically
 * and mode 0600, with a token from its {@link TokenSource}: the projected token (re-read on every
 * change in the service-account directory, reported by inotify, and every {@code period}), or a
 * TokenRequest token renewed long before it expires.
 *
 * <p>It also wakes every {@code period} to put back a kubeconfig that was removed or changed.
 * Errors (a missing file, a bad token, the API unreachable) are logged once, retried after {@code
 * retry}, and never stop the daemon; {@link #lastError()} tells readiness about them.
 */
public final class TokenRefresher implements AutoCloseable {
  /** How often the token file is re-read, and the kubeconfig checked, without an event. */
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

  /** How soon a failed refresh is tried again. */
  public static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

  private final TokenSource source;
  private final ServiceAccountFiles serviceAccount;
  private final InstanceLayout layout;
  private final URI server;
  private final Duration period;
  private final Duration retry;
  private volatile Instant lastSuccess = Instant.EPOCH;
  private volatile Optional<String> lastError = Optional.empty();
  private volatile TokenSource.Token lastToken;
  private WatchService watch;
  private Thread thread;

  /**
   * @param source the tokens
   * @param serviceAccount the pod's CA (and the directory watched for rotations)
   * @param layout where the instance's kubeconfig goes
   * @param server the API server written into the kubeconfig
   * @param period the longest sleep: file re-read, kubeconfig check
   * @param retry the wait after a failure
   */
  public TokenRefresher(
      TokenSource source,
      ServiceAccountFiles serviceAccount,
      InstanceLayout layout,
      URI server,
      Duration period,
      Duration retry) {
    if (!period.isPositive() || !retry.isPositive()) {
      throw new IllegalArgumentException("period and retry must be positive");
    }
    this.source = source;
    this.serviceAccount = serviceAccount;
    this.layout = layout;
    this.server = server;
    this.period = period;
    this.retry = retry;
  }

  /** The projected token, re-read every {@code period}: the simplest, needs no extra RBAC. */
  public static TokenRefresher projected(
      ServiceAccountFiles serviceAccount, InstanceLayout layout, URI server, Duration period) {
    return new TokenRefresher(
        TokenSource.projected(serviceAccount, period),
        serviceAccount,
        layout,
        server,
        period,
        DEFAULT_RETRY);
  }

  /**
   * Gets a token from the source now and rewrites the kubeconfig if it differs.
   *
   * @return the token written
   * @throws IOException when the token, the CA or the file cannot be had
   * @throws IllegalArgumentException when the token or CA is unusable
   */
  public TokenSource.Token refreshNow() throws IOException {
    TokenSource.Token t = source.token();
    write(t);
    lastToken = t;
    return t;
  }

  private void write(TokenSource.Token t) throws IOException {
    Kubeconfig k = new Kubeconfig(layout.instance(), server, serviceAccount.caPem(), t.value());
    Files.createDirectories(layout.ownDir());
    if (AtomicFiles.writeIfChanged(layout.kubeconfig(), k.bytes(), AtomicFiles.PRIVATE)) {
      LOG.info(
          "wrote {} (token expires {})",
          layout.kubeconfig(),
          t.expiry().map(Instant::toString).orElse("?"));
    }
    lastSuccess = Instant.now();
    lastError = Optional.empty();
  }

  /** Starts the background thread: a refresh now, then on events, when due, and every period. */
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

  /** The last failure, until a refresh succeeds. */
  public Optional<String> lastError() {
    return lastError;
  }

  private void run() {
    Instant due = Instant.EPOCH;
    boolean rotated = false;
    while (!Thread.currentThread().isInterrupted()) {
      Instant now = Instant.now();
      try {
        if (rotated || !now.isBefore(due) || lastToken == null) {
          TokenSource.Token t = refreshNow();
          due = now.plus(source.refreshAfter(t, now));
        } else {
          write(lastToken); // puts back a removed or changed kubeconfig; no new token needed
        }
      } catch (IOException | RuntimeException e) {
        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!lastError.equals(Optional.of(why))) {
          LOG.warn("cannot refresh {}: {}", layout.kubeconfig(), why);
        }
        lastError = Optional.of(why);
        due = now.plus(retry);
      }
      Duration wait = Duration.between(Instant.now(), due);
      if (wait.compareTo(period) > 0) {
        wait = period;
      }
      try {
        WatchKey key = watch.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        rotated = key != null;
        // The kubelet's atomic writer changes several entries at once; take them as one event.
        while (key != null) {
          key.pollEvents();
          key.reset();
          key = watch.poll(50, TimeUnit.MILLISECONDS);
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
