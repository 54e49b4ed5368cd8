package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.util.Optional;

/**
 * Where Node objects come from: the API server, or a Node list file. Only a cache miss asks.
 *
 * <p>Implementations throw {@link IOException} when the source cannot be reached or read (the
 * runtime may retry), and return empty when it answered that there is no such Node.
 */
public interface NodeSource {
  /** The Node with this name. */
  Optional<NodeFields> get(String name) throws IOException;

  /** The Node whose {@code status.nodeInfo.machineID} is this machine-id. */
  Optional<NodeFields> findByMachineId(String machineId) throws IOException;

  /** Where the Nodes come from, for messages. */
  String describe();
}
