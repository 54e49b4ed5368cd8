package io.xcluster.cni.router.nodes;

import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Node;

/**
 * A {@link NodeSource} over a real client-java {@link Cache} that the test fills, the way the
 * informer would: {@link #put}, {@link #remove}, then {@link #synced()}.
 */
public final class CacheNodeSource implements NodeSource {
  private final Cache<V1Node> cache = new Cache<>();
  private final Lister<V1Node> lister = new Lister<>(cache);
  private volatile boolean synced;
  private volatile Runnable onChange = () -> {};

  @Override
  public void start(Runnable onChange) {
    this.onChange = onChange;
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
  public void close() {}

  public CacheNodeSource put(V1Node node) {
    cache.add(node);
    onChange.run();
    return this;
  }

  public CacheNodeSource remove(V1Node node) {
    cache.delete(node);
    onChange.run();
    return this;
  }

  public CacheNodeSource synced() {
    synced = true;
    onChange.run();
    return this;
  }
}
