package io.xcluster.cni.router.nodes;

import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Node;
import java.io.IOException;

/**
 * Where the Nodes come from: the Kubernetes API through an informer, or a file. Either way the
 * router reads them from a client-java {@link Lister} over a cache of slim Nodes.
 */
public interface NodeSource extends AutoCloseable {
  /**
   * Starts filling the cache. {@code onChange} is called, on a background thread, after each change
   * that may alter a route and once the first complete list is in; it should only schedule a
   * reconcile.
   *
   * @throws IOException when the source cannot be started at all
   */
  void start(Runnable onChange) throws IOException;

  /** The Nodes, as far as they are known. */
  Lister<V1Node> lister();

  /**
   * Whether the first complete list has arrived. Until then nothing may be deleted: a Node missing
   * from a partial list is not a Node that is gone.
   */
  boolean hasSynced();

  /** Stops watching. The cache stays readable. */
  @Override
  void close();
}
