package io.xcluster.cni.router.daemon;

import java.io.IOException;

/** Where Node Events go: the Kubernetes API, or a list in tests. */
@FunctionalInterface
public interface NodeEventSink {
  /**
   * Posts one Warning Event about a Node.
   *
   * @throws IOException when the Event cannot be posted
   */
  void warn(String node, String reason, String message) throws IOException;
}
