package io.xcluster.cni.router.nodes;

import io.kubernetes.client.openapi.models.V1Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Nodes of the first list while its pages are still arriving, so that routes can go into the
 * kernel while the rest of a large list is on its way: the kernel's work and the API server's
 * overlap instead of following each other. Only additions may be made from it; a Node that is not
 * here yet is not a Node that is gone. Once the informer has the complete list it is {@link
 * #close() closed} and holds nothing.
 */
public final class ArrivingNodes {
  private final Runnable onPage;
  private Map<String, V1Node> byName = new LinkedHashMap<>();

  /**
   * @param onPage called after each page, on the thread that received it; it should only schedule
   *     work
   */
  public ArrivingNodes(Runnable onPage) {
    this.onPage = onPage;
  }

  /** Adds one page of the list (a page again after a retried list replaces its Nodes by name). */
  void add(List<V1Node> page) {
    synchronized (this) {
      if (byName == null) {
        return;
      }
      for (V1Node node : page) {
        if (node.getMetadata() != null && node.getMetadata().getName() != null) {
          byName.put(node.getMetadata().getName(), node);
        }
      }
    }
    onPage.run();
  }

  /** The Nodes received so far, in the order they came; empty once closed. */
  public synchronized List<V1Node> snapshot() {
    return byName == null ? List.of() : new ArrayList<>(byName.values());
  }

  /** How many Nodes have arrived; 0 once closed. */
  public synchronized int size() {
    return byName == null ? 0 : byName.size();
  }

  /** The complete list is in the informer's cache: keep nothing more. */
  public synchronized void close() {
    byName = null;
  }
}
