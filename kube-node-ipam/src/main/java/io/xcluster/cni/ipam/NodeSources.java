package io.xcluster.cni.ipam;

/** Opens the {@link NodeSource} a configuration names; a seam for tests. */
@FunctionalInterface
public interface NodeSources {
  NodeSource open(IpamConfig config);

  /**
   * The real sources: the nodes file when configured, else the API server through client-java.
   * Neither class is loaded before this is called, which only happens on a cache miss.
   */
  static NodeSources real() {
    return new RealNodeSources();
  }
}
