package io.xcluster.cni.router.plan;

/**
 * Something about one Node that the router could not use as written. Logged, counted, and posted as
 * an Event on the Node; it never affects other Nodes' routes.
 *
 * @param node the Node's name
 * @param message what is wrong and what the router does about it
 */
public record NodeProblem(String node, String message) {
  @Override
  public String toString() {
    return node + ": " + message;
  }
}
