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

  private final ApiClient client;
  private final CoreV1Api api;
  private int failures;

  NodeListerWatcher(ApiClient client) {
    this.client = client;
    this.api = new CoreV1Api(client);
  }

  @Override
  public V1NodeList list(CallGeneratorParams params) throws ApiException {
    backOff();
    try {
      V1NodeList list =
          api.listNode()
              .resourceVersion(params.resourceVersion)
              .timeoutSeconds(params.timeoutSeconds)
              .execute();
      succeeded();
      return list;
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
