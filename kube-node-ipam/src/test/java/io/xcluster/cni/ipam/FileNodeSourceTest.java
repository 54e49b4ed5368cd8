package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xcluster.cni.annotations.NodeFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNodeSourceTest {
  @TempDir Path tmp;

  static final String YAML =
      """
      apiVersion: v1
      items:
      - apiVersion: v1
        kind: Node
        metadata:
          annotations:
            cidr.example.com/net3: 192.168.55.0/26,fd00:5::1:0/112
          name: vm-002
        spec:
          podCIDR: 10.244.2.0/24
          podCIDRs:
          - 10.244.2.0/24
          - fd00:10:244:2::/64
        status:
          addresses:
          - address: 192.168.1.2
            type: InternalIP
          nodeInfo:
            machineID: abc123
      - metadata: {name: old-style}
        spec: {podCIDR: 10.244.3.0/24}
      kind: List
      metadata:
        resourceVersion: ""
      """;

  static final String JSON =
      """
      {"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"vm-002",
       "annotations":{"a":"1"}},"spec":{"podCIDRs":["10.244.2.0/24"]},
       "status":{"nodeInfo":{"machineID":"abc123"}}}]}
      """;

  @Test
  void readsKubectlYaml() throws Exception {
    Path f = tmp.resolve("nodes.yaml");
    Files.writeString(f, YAML);
    FileNodeSource source = new FileNodeSource(f);

    NodeFields node = source.get("vm-002").orElseThrow();
    assertThat(node.podCidrs()).containsExactly("10.244.2.0/24", "fd00:10:244:2::/64");
    assertThat(node.annotations())
        .containsEntry("cidr.example.com/net3", "192.168.55.0/26,fd00:5::1:0/112");
    assertThat(node.addresses())
        .containsExactly(new NodeFields.Address("InternalIP", "192.168.1.2"));
    assertThat(source.get("old-style").orElseThrow().podCidrs()).containsExactly("10.244.3.0/24");
    assertThat(source.findByMachineId("abc123").orElseThrow().name()).isEqualTo("vm-002");
    assertThat(source.get("nope")).isEmpty();
  }

  @Test
  void readsKubectlJsonAndSingleNodeDocuments() throws Exception {
    Path json = tmp.resolve("nodes.json");
    Files.writeString(json, JSON);
    assertThat(new FileNodeSource(json).get("vm-002").orElseThrow().annotations())
        .containsEntry("a", "1");

    Path docs = tmp.resolve("docs.yaml");
    Files.writeString(
        docs, "kind: Node\nmetadata: {name: a}\n---\nkind: Node\nmetadata: {name: b}\n");
    assertThat(new FileNodeSource(docs).get("b")).isPresent();
  }

  @Test
  void aBrokenOrMissingFileIsAnIoError() throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, "items: [ {");
    assertThatThrownBy(() -> new FileNodeSource(f).get("x"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.yaml");
    assertThatThrownBy(() -> new FileNodeSource(tmp.resolve("none")).get("x"))
        .isInstanceOf(IOException.class);
  }
}
