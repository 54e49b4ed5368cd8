package io.xcluster.cni.router.nodes;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists and watches Nodes, and backs off while the API server cannot be reached: client-java's
 * reflector retries a failed list or watch every second, forever; this waits 1 s, 2 s, 4 s ... up
 * to {@link #MAX_BACKOFF} between failed attempts, and starts again at once after a success. The
 * routes stay as they are all the while.
 */
final class NodeListerWatcher implements ListerWatcher<V1Node, V1NodeList> {
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(NodeListerWatcher.class);

  /** Nodes per list request. */
  static final int PAGE = 250;

  private final ApiClient client;
  private final CoreV1Api api;
  private final UnaryOperator<V1Node> slim;
  private int failures;

  NodeListerWatcher(ApiClient client, UnaryOperator<V1Node> slim) {
    this.client = client;
    this.api = new CoreV1Api(client);
    this.slim = slim;
  }

  /**
   * Lists in pages of {@link #PAGE} Nodes and slims each page before the next is fetched, so the
   * full objects of thousands of Nodes are never in memory at once.
   */
  @Override
  public V1NodeList list(CallGeneratorParams params) throws ApiException {
    backOff();
    try {
      List<V1Node> items = new ArrayList<>();
      String next = null;
      V1NodeList page;
      do {
        page =
            api.listNode()
                .resourceVersion(next == null ? params.resourceVersion : null)
                .limit(PAGE)
                ._continue(next)
                .timeoutSeconds(params.timeoutSeconds)
                .execute();
        for (V1Node node : page.getItems()) {
          items.add(slim.apply(node));
        }
        next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
      succeeded();
      return new V1NodeList()
          .apiVersion(page.getApiVersion())
          .kind(page.getKind())
          .metadata(page.getMetadata())
          .items(items);
    } catch (ApiException | RuntimeException e) {
      failed("list", e);
      throw e;
    }
  }

  @Override
  public Watchable<V1Node> watch(CallGeneratorParams params) throws ApiException {
    backOff();
    try {
      Watchable<V1Node> watch =
          Watch.createWatch(
              client,
              api.listNode()
                  .resourceVersion(params.resourceVersion)
                  .timeoutSeconds(params.timeoutSeconds)
                  .allowWatchBookmarks(true)
                  .watch(true)
                  .buildCall(null),
              new TypeToken<Watch.Response<V1Node>>() {}.getType());
      succeeded();
      return watch;
    } catch (ApiException | RuntimeException e) {
      failed("watch", e);
      throw e;
    }
  }

  private synchronized void succeeded() {
    if (failures > 0) {
      log.info("Kubernetes API reachable again");
    }
    failures = 0;
  }

  private synchronized void failed(String what, Exception e) {
    failures++;
    String reason =
        e instanceof ApiException api && api.getCode() != 0
            ? "HTTP " + api.getCode() + " " + api.getMessage()
            : String.valueOf(e.getMessage());
    if (failures == 1) {
      log.warn("Node {} failed ({}); routes stay as they are, retrying with backoff", what, reason);
    } else {
      log.debug("Node {} failed again ({}), attempt {}", what, reason, failures);
    }
  }

  private void backOff() {
    Duration delay = delay();
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized Duration delay() {
    if (failures == 0) {
      return Duration.ZERO;
    }
    long ms = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 16);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }
}
