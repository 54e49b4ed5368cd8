package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CniVersionsTest {
  static final List<String> DEBIAN_1_1_1 =
      List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");

  @ParameterizedTest(name = "config {0} -> host-local {1}")
  @CsvSource({
    "1.1.0, 1.0.0",
    "1.0.0, 1.0.0",
    "0.4.0, 0.4.0",
    "0.3.1, 0.3.1",
    "0.2.0, 0.2.0",
    "0.1.0, 0.1.0"
  })
  void speaksTheConfigsVersionOrTheNewestConvertible(String config, String expected)
      throws Exception {
    assertThat(CniVersions.negotiate(config, DEBIAN_1_1_1)).isEqualTo(expected);
  }

  @Test
  void aLegacyVersionIsNotConvertedAndUnknownVersionsAreRefused() throws Exception {
    assertThat(CniVersions.negotiate("1.1.0", List.of("1.0.0", "1.1.0", "1.2.0")))
        .isEqualTo("1.1.0");
    assertThat(CniVersions.negotiate("0.4.0", List.of("1.0.0"))).isEqualTo("1.0.0");
    assertThatThrownBy(() -> CniVersions.negotiate("0.2.0", List.of("1.0.0")))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(1));
    assertThatThrownBy(() -> CniVersions.negotiate("9.9.9", DEBIAN_1_1_1))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(1));
  }

  @Test
  void gcAndStatusNeed11() {
    assertThat(CniVersions.hasGcAndStatus(DEBIAN_1_1_1)).isFalse();
    assertThat(CniVersions.hasGcAndStatus(List.of("1.1.0"))).isTrue();
  }

  @Test
  void convertsResultsBetween04And1x() throws Exception {
    Map<String, Object> v1 =
        Json.parseObject(
            "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"},{\"address\":\"fd00::2/64\"}],\"dns\":{}}");
    Map<String, Object> v04 = CniVersions.convertResult(v1, "1.0.0", "0.4.0");
    assertThat(Json.write(v04))
        .isEqualTo(
            "{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.2/24\"},"
                + "{\"version\":\"6\",\"address\":\"fd00::2/64\"}],\"dns\":{}}");
    assertThat(Json.write(CniVersions.convertResult(v04, "0.4.0", "1.1.0")))
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"},"
                + "{\"address\":\"fd00::2/64\"}],\"dns\":{}}");
    assertThatThrownBy(() -> CniVersions.convertResult(v1, "1.0.0", "0.2.0"))
        .isInstanceOf(CniException.class);
  }

  @Test
  void comparesNumerically() {
    assertThat(CniVersions.compare("0.10.0", "0.4.0")).isPositive();
    assertThat(CniVersions.compare("1.0.0", "1.0.0")).isZero();
    assertThat(CniVersions.compare("x", "0.1.0")).isNegative();
  }
}
