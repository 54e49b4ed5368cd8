package io.xcluster.cni.router;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.xcluster.cni.router.kube.KubeClients;
import io.xcluster.cni.router.nodes.NodeProjection;
import io.xcluster.cni.router.nodes.NodesFile;
import io.xcluster.cni.router.nodes.SnapshotNodeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The Nodes once, for the one-shot commands: one API list, or one read of the nodes file. */
final class NodeInput {
  private NodeInput() {}

  static SnapshotNodeSource read(
      Optional<Path> nodesFile, Optional<Path> kubeconfig, NodeProjection projection)
      throws IOException {
    List<V1Node> nodes;
    if (nodesFile.isPresent()) {
      nodes = NodesFile.read(nodesFile.get());
    } else {
      try {
        nodes =
            new CoreV1Api(KubeClients.connect(kubeconfig.orElse(null)).client())
                .listNode()
                .execute()
                .getItems();
      } catch (ApiException e) {
        throw new IOException(
            "cannot list Nodes: "
                + (e.getCode() != 0 ? "HTTP " + e.getCode() + " " : "")
                + e.getMessage(),
            e);
      }
    }
    return new SnapshotNodeSource(nodes.stream().map(projection::slim).toList());
  }
}
