package io.xcluster.cni.router.plan;

import io.xcluster.cni.annotations.NodeAnnotations;
import io.xcluster.cni.annotations.NodeFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds Node inputs for planner tests: {@code node("peer").annotate(k, v).reading(a)}. */
final class Nodes {
  private final String name;
  private final Map<String, String> annotations = new HashMap<>();
  private final List<String> podCidrs = new ArrayList<>();
  private final List<NodeFields.Address> addresses = new ArrayList<>();
  private Instant created = Instant.parse("2024-01-01T00:00:00Z");

  private Nodes(String name) {
    this.name = name;
  }

  static Nodes node(String name) {
    return new Nodes(name);
  }

  Nodes annotate(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  Nodes podCidrs(String... cidrs) {
    podCidrs.addAll(List.of(cidrs));
    return this;
  }

  Nodes internalIp(String... ips) {
    for (String ip : ips) {
      addresses.add(new NodeFields.Address("InternalIP", ip));
    }
    return this;
  }

  Nodes address(String type, String ip) {
    addresses.add(new NodeFields.Address(type, ip));
    return this;
  }

  Nodes created(String instant) {
    created = Instant.parse(instant);
    return this;
  }

  NodeReading reading(NodeAnnotations config) {
    return NodeReading.read(
        new NodeFields(name, annotations, podCidrs, addresses), created, config);
  }

  @Override
  public String toString() {
    return name;
  }
}
