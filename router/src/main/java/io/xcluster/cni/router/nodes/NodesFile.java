package io.xcluster.cni.router.nodes;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads Nodes from a file as {@code kubectl get nodes -o yaml} or {@code -o json} prints them: a
 * {@code List}/{@code NodeList} with {@code items}, a single Node, or several YAML documents. JSON
 * is YAML, so one parser reads both.
 *
 * <p>Only the fields the router uses are taken; unknown fields are ignored, so output of any
 * Kubernetes version reads.
 */
public final class NodesFile {
  private NodesFile() {}

  /**
   * Reads the Nodes in {@code file}.
   *
   * @throws IOException when the file cannot be read or is not a Node list, with the reason
   */
  public static List<V1Node> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(text);
    } catch (IllegalArgumentException | YAMLException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a Node list.
   *
   * @throws IllegalArgumentException when the text is not YAML/JSON or not Nodes
   */
  public static List<V1Node> parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    List<V1Node> nodes = new ArrayList<>();
    int document = 0;
    for (Object doc : yaml.loadAll(text)) {
      document++;
      if (doc == null) {
        continue;
      }
      Map<String, Object> root = map(doc, "document " + document);
      Object kind = root.get("kind");
      if (root.containsKey("items")) {
        Object items = root.get("items");
        if (items == null) {
          continue;
        }
        if (!(items instanceof List<?> list)) {
          throw new IllegalArgumentException("document " + document + ": items is not a list");
        }
        int i = 0;
        for (Object item : list) {
          nodes.add(node(map(item, "items[" + i + "]"), "items[" + i + "]"));
          i++;
        }
      } else if ("Node".equals(kind) || root.containsKey("metadata")) {
        nodes.add(node(root, "document " + document));
      } else {
        throw new IllegalArgumentException(
            "document " + document + " is neither a Node nor a list of Nodes");
      }
    }
    return nodes;
  }

  private static V1Node node(Map<String, Object> m, String where) {
    Object kind = m.get("kind");
    if (kind != null && !"Node".equals(kind)) {
      throw new IllegalArgumentException(where + " is a " + kind + ", not a Node");
    }
    Map<String, Object> meta = optionalMap(m.get("metadata"), where + ".metadata");
    String name = string(meta.get("name"), where + ".metadata.name");
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(where + " has no metadata.name");
    }
    V1ObjectMeta metadata =
        new V1ObjectMeta()
            .name(name)
            .uid(string(meta.get("uid"), where + ".metadata.uid"))
            .resourceVersion(
                string(meta.get("resourceVersion"), where + ".metadata.resourceVersion"))
            .creationTimestamp(timestamp(meta.get("creationTimestamp"), where));
    Map<String, Object> annotations =
        optionalMap(meta.get("annotations"), where + ".metadata.annotations");
    if (!annotations.isEmpty()) {
      Map<String, String> values = new LinkedHashMap<>();
      annotations.forEach((k, v) -> values.put(k, string(v, where + ".metadata.annotations." + k)));
      metadata.setAnnotations(values);
    }
    V1Node node = new V1Node().apiVersion("v1").kind("Node").metadata(metadata);

    Map<String, Object> spec = optionalMap(m.get("spec"), where + ".spec");
    V1NodeSpec nodeSpec = new V1NodeSpec().podCIDR(string(spec.get("podCIDR"), where));
    Object podCidrs = spec.get("podCIDRs");
    if (podCidrs instanceof List<?> list) {
      for (Object c : list) {
        nodeSpec.addPodCIDRsItem(string(c, where + ".spec.podCIDRs"));
      }
    } else if (podCidrs != null) {
      throw new IllegalArgumentException(where + ".spec.podCIDRs is not a list");
    }
    node.setSpec(nodeSpec);

    Map<String, Object> status = optionalMap(m.get("status"), where + ".status");
    Object addresses = status.get("addresses");
    if (addresses instanceof List<?> list) {
      V1NodeStatus nodeStatus = new V1NodeStatus();
      int i = 0;
      for (Object a : list) {
        Map<String, Object> address = map(a, where + ".status.addresses[" + i++ + "]");
        nodeStatus.addAddressesItem(
            new V1NodeAddress()
                .type(string(address.get("type"), where))
                .address(string(address.get("address"), where)));
      }
      node.setStatus(nodeStatus);
    } else if (addresses != null) {
      throw new IllegalArgumentException(where + ".status.addresses is not a list");
    }
    return node;
  }

  private static OffsetDateTime timestamp(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof Date date) {
      return date.toInstant().atOffset(ZoneOffset.UTC);
    }
    try {
      return OffsetDateTime.parse(value.toString());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          where + ".metadata.creationTimestamp \"" + value + "\" is not an RFC 3339 time");
    }
  }

  private static String string(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof Map || value instanceof List) {
      throw new IllegalArgumentException(where + " is not a string");
    }
    return value.toString();
  }

  private static Map<String, Object> optionalMap(Object value, String where) {
    return value == null ? Map.of() : map(value, where);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    for (Object key : m.keySet()) {
      if (!(key instanceof String)) {
        throw new IllegalArgumentException(where + " has a key that is not a string: " + key);
      }
    }
    return (Map<String, Object>) m;
  }
}
