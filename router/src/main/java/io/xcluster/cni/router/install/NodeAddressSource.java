package io.xcluster.cni.router.install;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/** The node's own addresses: the next hops other nodes use, and so the MTU's interface. */
@FunctionalInterface
public interface NodeAddressSource {

  /**
   * The node's addresses, in the Node's order.
   *
   * @throws IOException when the Node cannot be read, or its address values are malformed
   */
  List<InetAddress> addresses(String nodeName) throws IOException;
}
