package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The Node objects of the rig, as the API server (or `kubectl get nodes -o json`) shows them. */
public final class NodeObjects {
  public static final String NET3_CIDR = "cidr.example.com/net3";
  public static final String NET3_ADDRESS = "adr.example.com/net3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeObjects() {}

  /** One Node: podCIDRs, InternalIPs on eth0, and the net3 annotations for eth1. */
  public static ObjectNode node(RigNode n, Map<String, String> extraAnnotations) {
    ObjectNode node = JSON.createObjectNode();
    node.put("apiVersion", "v1").put("kind", "Node");
    ObjectNode meta = node.putObject("metadata");
    meta.put("name", n.name());
    meta.put("uid", "00000000-0000-0000-0000-00000000000" + n.index());
    meta.put("creationTimestamp", "2026-11-25T00:0" + n.index() + ":00Z");
    ObjectNode annotations = meta.putObject("annotations");
    annotations.put(NET3_CIDR, n.net3CidrV4() + "," + n.net3CidrV6());
    annotations.put(NET3_ADDRESS, n.eth1v4() + "," + n.eth1v6());
    extraAnnotations.forEach(annotations::put);
    ObjectNode spec = node.putObject("spec");
    spec.put("podCIDR", n.podCidrV4());
    spec.putArray("podCIDRs").add(n.podCidrV4()).add(n.podCidrV6());
    ObjectNode status = node.putObject("status");
    ArrayNode addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", n.eth0v4());
    addresses.addObject().put("type", "InternalIP").put("address", n.eth0v6());
    addresses.addObject().put("type", "Hostname").put("address", n.name());
    return node;
  }

  /** A NodeList holding {@code nodes}, as `kubectl get nodes -o json` prints it. */
  public static String list(Iterable<ObjectNode> nodes) {
    ObjectNode list = JSON.createObjectNode();
    list.put("apiVersion", "v1").put("kind", "List");
    ArrayNode items = list.putArray("items");
    nodes.forEach(items::add);
    list.putObject("metadata").put("resourceVersion", "");
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
