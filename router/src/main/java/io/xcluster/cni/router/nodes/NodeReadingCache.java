package io.xcluster.cni.router.nodes;

import io.kubernetes.client.openapi.models.V1Node;
import io.xcluster.cni.router.plan.NodeReading;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads each Node once per version: the informer cache hands out the same object until the Node
 * changes, so a periodic resync of thousands of unchanged Nodes parses nothing. Entries of Nodes
 * that are gone are dropped at the next call.
 */
public final class NodeReadingCache {
  private final NodeProjection projection;
  private Map<V1Node, NodeReading> byObject = new IdentityHashMap<>();

  public NodeReadingCache(NodeProjection projection) {
    this.projection = projection;
  }

  /** The readings of {@code nodes}, reusing those of objects seen at the previous call. */
  public synchronized List<NodeReading> read(List<V1Node> nodes) {
    Map<V1Node, NodeReading> next = new IdentityHashMap<>(nodes.size());
    List<NodeReading> readings = new ArrayList<>(nodes.size());
    for (V1Node node : nodes) {
      NodeReading reading = byObject.get(node);
      if (reading == null) {
        reading = projection.read(node);
      }
      next.put(node, reading);
      readings.add(reading);
    }
    byObject = next;
    return readings;
  }
}
