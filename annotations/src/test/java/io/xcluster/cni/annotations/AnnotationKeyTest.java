package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnnotationKeyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cidr.example.com/net3",
        "adr.example.com/eth2",
        "kube-node.nordix.org/net1",
        "podcidr",
        "a",
        "example.com/Net_3.x-y"
      })
  void acceptsKubernetesAnnotationNames(String key) {
    assertThat(AnnotationKey.validate(key)).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/net3",
        "cidr.example.com/",
        "Cidr.Example.com/net3",
        "cidr..example.com/net3",
        "cidr.example.com/net 3",
        "cidr.example.com/-net3",
        "a/b/c",
        "cidr.example.com/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      })
  void rejectsInvalidNames(String key) {
    assertThatThrownBy(() -> AnnotationKey.validate(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("\"" + key + "\" is not a valid annotation name: ");
  }
}
