package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.NodeFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node objects decoded into plain maps and lists, from a nodes file (YAML or JSON) or from the API
 * server's JSON: the fields kube-node needs, without a client library's model classes.
 */
final class NodeObjects {
  private NodeObjects() {}

  /** The fields kube-node needs from a Node object. */
  static NodeFields fields(Map<?, ?> node) {
    String name = string(get(node, "metadata", "name"));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (get(node, "metadata", "annotations") instanceof Map<?, ?> a) {
      for (Map.Entry<?, ?> e : a.entrySet()) {
        if (e.getKey() != null && e.getValue() != null) {
          annotations.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        }
      }
    }
    List<String> podCidrs = new ArrayList<>();
    if (get(node, "spec", "podCIDRs") instanceof List<?> l) {
      for (Object c : l) {
        podCidrs.add(string(c));
      }
    }
    if (podCidrs.isEmpty() && get(node, "spec", "podCIDR") instanceof String single) {
      podCidrs.add(single);
    }
    List<NodeFields.Address> addresses = new ArrayList<>();
    if (get(node, "status", "addresses") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          addresses.add(new NodeFields.Address(string(m.get("type")), string(m.get("address"))));
        }
      }
    }
    return new NodeFields(name, annotations, podCidrs, addresses);
  }

  /** {@code metadata.name}, or null. */
  static String name(Map<?, ?> node) {
    return string(get(node, "metadata", "name"));
  }

  /** {@code status.nodeInfo.machineID}, or null. */
  static String machineId(Map<?, ?> node) {
    return string(get(node, "status", "nodeInfo", "machineID"));
  }

  private static Object get(Map<?, ?> root, String... path) {
    Object o = root;
    for (String p : path) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(p);
    }
    return o;
  }

  private static String string(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
