package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PluginVersionTest {
  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
    "1.1.0, 1.1.1",
    "1.1.1, 1.4.0",
    "1.9.0, 1.10.0",
    "0.1.0-SNAPSHOT, 0.1.0",
    "0.1.0, 0.1.1-SNAPSHOT",
    "1.0.0-rc1, 1.0.0-rc2",
    "1.0.0-2, 1.0.0-10",
    "1.0.0-2, 1.0.0-alpha",
    "1.0.0-alpha, 1.0.0-alpha.1",
    "v1.1.1, 1.2",
  })
  void ordersLikeSemanticVersions(String lower, String higher) {
    PluginVersion a = PluginVersion.parse(lower);
    PluginVersion b = PluginVersion.parse(higher);
    assertThat(a).isLessThan(b);
    assertThat(b).isGreaterThan(a);
  }

  @ParameterizedTest
  @CsvSource({"1.1.1, v1.1.1", "1.2, 1.2.0", "0.1.0-SNAPSHOT, 0.1.0-SNAPSHOT"})
  void equalVersionsCompareEqual(String a, String b) {
    assertThat(PluginVersion.parse(a).compareTo(PluginVersion.parse(b))).isZero();
  }

  @Test
  void findsTheVersionInAPluginsAboutText() {
    assertThat(PluginVersion.find("CNI host-local plugin v1.1.1"))
        .map(PluginVersion::toString)
        .contains("1.1.1");
    assertThat(
            PluginVersion.find(
                "CNI bridge plugin v1.4.0-rc.1\nCNI protocol versions supported: 0.1.0, 1.0.0\n"))
        .map(PluginVersion::toString)
        .contains("1.4.0-rc.1");
    assertThat(PluginVersion.find("kube-node 0.2.0-SNAPSHOT"))
        .map(PluginVersion::toString)
        .contains("0.2.0-SNAPSHOT");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CNI host-local plugin version unknown\nCNI protocol versions supported: 0.1.0, 1.0.0",
        "CNI bridge plugin version unknown",
        "",
        "no digits"
      })
  void debiansUnknownVersionIsEmptyNotAnError(String about) {
    assertThat(PluginVersion.find(about)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "latest", "1", "1.x", "1.2.3 extra", "-1.2"})
  void parseRefusesNonVersions(String text) {
    assertThatThrownBy(() -> PluginVersion.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a version");
  }
}
