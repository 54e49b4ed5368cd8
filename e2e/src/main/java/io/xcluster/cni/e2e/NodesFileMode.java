package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Node objects in a file, as `kubectl get nodes -o json` prints them; every change rewrites it. */
public final class NodesFileMode implements NodeSourceMode {
  private final Path file;
  private final Map<String, ObjectNode> nodes = new LinkedHashMap<>();

  public NodesFileMode(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void publish(List<ObjectNode> list) throws IOException {
    nodes.clear();
    list.forEach(n -> nodes.put(n.path("metadata").path("name").asText(), n.deepCopy()));
    write();
  }

  @Override
  public synchronized void annotate(String node, String key, String value) throws IOException {
    ObjectNode annotations = (ObjectNode) nodes.get(node).with("metadata").with("annotations");
    if (value == null) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
    write();
  }

  @Override
  public synchronized void remove(String node) throws IOException {
    nodes.remove(node);
    write();
  }

  /** Atomically, so a reader never sees half a file. */
  private void write() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, NodeObjects.list(nodes.values()));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public List<String> routerArgs(RigNode node) {
    return List.of("--nodes-file", file.toString());
  }

  @Override
  public Map<String, String> ipamFields(RigNode node, Path kubeconfig) {
    return Map.of("nodesFile", file.toString());
  }

  @Override
  public void close() {}
}
