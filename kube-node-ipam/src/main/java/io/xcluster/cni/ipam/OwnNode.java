package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the Node this host is. A NetworkAttachmentDefinition is cluster-wide, so this must work
 * without per-node configuration. In order:
 *
 * <ol>
 *   <li>{@code nodeName} in the configuration,
 *   <li>the NODE_NAME environment variable,
 *   <li>the node-name file the installer writes ({@code /etc/cni/net.d/xcluster-cni/node-name}),
 *   <li>the host name (lower case, as kubelet registers it by default),
 *   <li>and only when the host name is not a Node, the Node whose machineID is this host's
 *       machine-id (which lists all Nodes, and fails on cloned VMs).
 * </ol>
 *
 * A name given by one of the first three is authoritative: when that Node does not exist, the
 * lookup fails instead of guessing.
 */
final class OwnNode {
  private OwnNode() {}

  /** The own Node and how it was found. */
  record Found(NodeFields node, String how) {}

  static Found find(
      IpamConfig config,
      Function<String, String> getenv,
      HostIdentity host,
      NodeSource source,
      Log log)
      throws CniException, IOException {
    String name = config.nodeName();
    String how = "nodeName in the configuration";
    if (name == null) {
      name = blankToNull(getenv.apply("NODE_NAME"));
      how = "NODE_NAME";
    }
    if (name == null) {
      name = HostIdentity.firstLine(config.nodeNameFile());
      how = "the node-name file " + config.nodeNameFile();
    }
    if (name != null) {
      Optional<NodeFields> node = source.get(name);
      if (node.isEmpty()) {
        throw new CniException(
            CniException.NODE_NOT_FOUND,
            "own node \"" + name + "\" not found",
            "the name comes from " + how + "; " + source.describe() + " has no such Node");
      }
      return new Found(node.get(), how);
    }
    List<String> tried = new ArrayList<>();
    String hostname = host.hostname();
    if (hostname != null) {
      hostname = hostname.toLowerCase(Locale.ROOT);
      Optional<NodeFields> node = source.get(hostname);
      if (node.isPresent()) {
        return new Found(node.get(), "the host name");
      }
      tried.add("no Node is named like the host name \"" + hostname + "\"");
      log.debug("no node named " + hostname + "; trying the machine-id");
    }
    String machineId = host.machineId();
    if (machineId != null) {
      Optional<NodeFields> node = source.findByMachineId(machineId);
      if (node.isPresent()) {
        return new Found(node.get(), "the machine-id " + machineId);
      }
      tried.add("no Node has machineID " + machineId);
    }
    throw new CniException(
        CniException.NODE_NOT_FOUND,
        "own node not found in " + source.describe(),
        String.join("; ", tried)
            + ". Set nodeName in the ipam configuration, NODE_NAME, or write the name to "
            + config.nodeNameFile());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
