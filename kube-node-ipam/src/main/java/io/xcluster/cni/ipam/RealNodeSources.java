package io.xcluster.cni.ipam;

import java.nio.file.Path;

/**
 * The production {@link NodeSources}. A separate class, so that client-java is loaded only when
 * {@link #open} runs on a cache miss.
 */
final class RealNodeSources implements NodeSources {
  @Override
  public NodeSource open(IpamConfig config) {
    if (config.nodesFile() != null) {
      return new FileNodeSource(Path.of(config.nodesFile()));
    }
    return new KubeApiNodeSource(config.kubeconfig());
  }
}
