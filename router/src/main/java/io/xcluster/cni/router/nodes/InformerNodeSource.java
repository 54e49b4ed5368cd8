package io.xcluster.cni.router.nodes;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.informer.impl.DefaultSharedIndexInformer;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.xcluster.cni.router.kube.KubeHttp;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes from the Kubernetes API through a client-java shared informer. The transform keeps only
 * what {@link NodeProjection} names, so the cache of thousands of Nodes stays small; the update
 * filter lets heartbeats pass without work. The informer has no resync of its own: the reconciler's
 * periodic resync compares everything anyway.
 */
public final class InformerNodeSource implements NodeSource {
  private static final Logger log = LoggerFactory.getLogger(InformerNodeSource.class);

  private final KubeHttp http;
  private final NodeProjection projection;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("informer-", 0).factory());
  private SharedIndexInformer<V1Node> informer;
  private Lister<V1Node> lister;
  private volatile boolean closed;

  public InformerNodeSource(KubeHttp http, NodeProjection projection) {
    this.http = http;
    this.projection = projection;
  }

  @Override
  public synchronized void start(Runnable onChange) {
    informer =
        new DefaultSharedIndexInformer<V1Node, V1NodeList>(
            V1Node.class,
            new NodeListerWatcher(http, projection),
            0,
            new Cache<>(),
            (type, t) -> log.debug("Node watch ended: {}", t.toString()));
    informer.setTransform(obj -> obj instanceof V1Node node ? projection.slim(node) : obj);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1Node node) {
            onChange.run();
          }

          @Override
          public void onUpdate(V1Node before, V1Node after) {
            if (projection.routesMayDiffer(before, after)) {
              onChange.run();
            }
          }

          @Override
          public void onDelete(V1Node node, boolean finalStateUnknown) {
            onChange.run();
          }
        });
    lister = new Lister<>(informer.getIndexer());
    threads.execute(informer::run);
    // The last initial onAdd may run before hasSynced() turns true; make sure a reconcile follows.
    Thread.ofPlatform()
        .daemon()
        .name("informer-synced")
        .start(
            () -> {
              try {
                while (!informer.hasSynced() && !closed) {
                  Thread.sleep(20);
                }
                log.info("Node list complete: {} Nodes", lister.list().size());
                onChange.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  @Override
  public synchronized Lister<V1Node> lister() {
    return lister;
  }

  @Override
  public boolean hasSynced() {
    SharedIndexInformer<V1Node> i = informer;
    return i != null && i.hasSynced();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (informer != null) {
      informer.stop();
    }
    threads.shutdownNow();
  }
}
