package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the routers and the plugin read the Node objects from: a nodes file, or the fake API server
 * over HTTPS. The checks are the same for both.
 */
public interface NodeSourceMode extends AutoCloseable {

  /** Publishes the Node objects. */
  void publish(List<ObjectNode> nodes) throws IOException;

  /**
   * Sets ({@code value} non-null) or removes an annotation of one node, as {@code kubectl annotate
   * node} does.
   */
  void annotate(String node, String key, String value) throws IOException;

  /** Removes a node. */
  void remove(String node) throws IOException;

  /** The daemon/nodes flags that point a program on {@code node} at the source. */
  List<String> routerArgs(RigNode node) throws IOException;

  /** The fields to put into a CNI config's ipam object for kube-node on {@code node}. */
  Map<String, String> ipamFields(RigNode node, Path kubeconfig) throws IOException;

  @Override
  void close();
}
