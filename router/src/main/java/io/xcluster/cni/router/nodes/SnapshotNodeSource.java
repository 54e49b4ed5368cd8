package io.xcluster.cni.router.nodes;

import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Node;
import java.util.List;

/** Nodes read once (one API list, one file read), for the one-shot commands. Always synced. */
public final class SnapshotNodeSource implements NodeSource {
  private final Lister<V1Node> lister;

  public SnapshotNodeSource(List<V1Node> nodes) {
    Cache<V1Node> cache = new Cache<>();
    cache.replace(List.copyOf(nodes), "");
    this.lister = new Lister<>(cache);
  }

  @Override
  public void start(Runnable onChange) {
    onChange.run();
  }

  @Override
  public Lister<V1Node> lister() {
    return lister;
  }

  @Override
  public boolean hasSynced() {
    return true;
  }

  @Override
  public void close() {}
}
