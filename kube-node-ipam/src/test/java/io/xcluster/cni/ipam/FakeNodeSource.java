package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Nodes in memory, with a call counter and an optional failure. */
final class FakeNodeSource implements NodeSource, NodeSources {
  final Map<String, NodeFields> nodes = new HashMap<>();
  final Map<String, String> machineIds = new HashMap<>();
  final AtomicInteger calls = new AtomicInteger();
  IOException failure;

  FakeNodeSource node(String name, Map<String, String> annotations, String... podCidrs) {
    nodes.put(name, new NodeFields(name, annotations, List.of(podCidrs), List.of()));
    return this;
  }

  FakeNodeSource machineId(String name, String id) {
    machineIds.put(id, name);
    return this;
  }

  @Override
  public NodeSource open(IpamConfig config) {
    return this;
  }

  @Override
  public Optional<NodeFields> get(String name) throws IOException {
    calls.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    return Optional.ofNullable(nodes.get(name));
  }

  @Override
  public Optional<NodeFields> findByMachineId(String machineId) throws IOException {
    calls.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    return Optional.ofNullable(machineIds.get(machineId)).map(nodes::get);
  }

  @Override
  public String describe() {
    return "the fake";
  }
}
