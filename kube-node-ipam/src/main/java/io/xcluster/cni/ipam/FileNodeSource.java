package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Nodes from a file, as {@code kubectl get nodes -o yaml} or {@code -o json} prints them (a {@code
 * List} or {@code NodeList} with {@code items}), or one or more Node documents. For static setups,
 * offline demos and tests. YAML is a superset of JSON, so one parser reads both.
 */
public final class FileNodeSource implements NodeSource {
  private final Path file;

  public FileNodeSource(Path file) {
    this.file = file;
  }

  @Override
  public Optional<NodeFields> get(String name) throws IOException {
    for (Map<String, Object> node : nodes()) {
      if (name.equals(NodeObjects.name(node))) {
        return Optional.of(NodeObjects.fields(node));
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<NodeFields> findByMachineId(String machineId) throws IOException {
    for (Map<String, Object> node : nodes()) {
      if (machineId.equals(NodeObjects.machineId(node))) {
        return Optional.of(NodeObjects.fields(node));
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "nodes file " + file;
  }

  private List<Map<String, Object>> nodes() throws IOException {
    List<Map<String, Object>> nodes = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      for (Object doc : yaml.loadAll(r)) {
        if (!(doc instanceof Map<?, ?> m)) {
          continue;
        }
        Object items = m.get("items");
        if (items instanceof List<?> list) {
          for (Object item : list) {
            if (item instanceof Map<?, ?> node) {
              nodes.add(asStringMap(node));
            }
          }
        } else {
          nodes.add(asStringMap(m));
        }
      }
    } catch (YAMLException e) {
      throw new IOException(file + " is not a Node list in YAML or JSON: " + e.getMessage(), e);
    }
    return nodes;
  }

  private static Map<String, Object> asStringMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
