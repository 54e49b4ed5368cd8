package io.xcluster.cni.router.nodes;

import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.xcluster.cni.router.kube.KubeHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Response;
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

  /** Nodes per list request, as client-go's reflector pages. */
  static final int PAGE = 500;

  private final KubeHttp http;
  private final NodeJson json;
  private int failures;

  NodeListerWatcher(KubeHttp http, NodeProjection projection) {
    this.http = http;
    this.json = new NodeJson(projection);
  }

  /**
   * Lists in pages of {@link #PAGE} Nodes, each decoded as it streams in, so neither the full
   * objects nor the JSON of thousands of Nodes are in memory at once.
   */
  @Override
  public V1NodeList list(CallGeneratorParams params) throws ApiException {
    backOff();
    try {
      List<V1Node> items = new ArrayList<>();
      String next = null;
      V1NodeList page;
      do {
        // The first page at the informer's resource version; the others where the last ended.
        List<Pair> query = query(params, next == null, new Pair("limit", Integer.toString(PAGE)));
        if (next != null) {
          query.add(new Pair("continue", next));
        }
        try (Response response = get(query)) {
          page = json.readList(response.body().charStream());
        } catch (IOException e) {
          throw new ApiException(e);
        }
        items.addAll(page.getItems());
        next = page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
      succeeded();
      page.setItems(items);
      return page;
    } catch (ApiException | RuntimeException e) {
      failed("list", e);
      throw e;
    }
  }

  @Override
  public Watchable<V1Node> watch(CallGeneratorParams params) throws ApiException {
    backOff();
    try {
      List<Pair> query =
          query(params, true, new Pair("watch", "true"), new Pair("allowWatchBookmarks", "true"));
      Watchable<V1Node> watch = new NodeWatch(get(query), json);
      succeeded();
      return watch;
    } catch (ApiException | RuntimeException e) {
      failed("watch", e);
      throw e;
    }
  }

  /**
   * The query of a list or watch request: {@code first}, then the informer's resource version (when
   * {@code atVersion} and it has one) and timeout.
   */
  private static List<Pair> query(CallGeneratorParams params, boolean atVersion, Pair... first) {
    List<Pair> query = new ArrayList<>(List.of(first));
    if (atVersion && params.resourceVersion != null) {
      query.add(new Pair("resourceVersion", params.resourceVersion));
    }
    if (params.timeoutSeconds != null) {
      query.add(new Pair("timeoutSeconds", params.timeoutSeconds.toString()));
    }
    return query;
  }

  /**
   * {@code GET /api/v1/nodes}, answered as a stream; a status other than 2xx becomes an {@link
   * ApiException} with the code, as client-java's own calls report it.
   */
  private Response get(List<Pair> query) throws ApiException {
    Call call;
    try {
      call = http.get("/api/v1/nodes", query);
    } catch (IOException e) {
      throw new ApiException(e);
    }
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw new ApiException(e);
    }
    if (!response.isSuccessful()) {
      try (response) {
        String body = response.body() == null ? null : response.body().string();
        throw new ApiException(
            response.message(), response.code(), response.headers().toMultimap(), body);
      } catch (IOException e) {
        throw new ApiException(response.message(), e, response.code(), Map.of());
      }
    }
    return response;
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
