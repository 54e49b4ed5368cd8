package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoubleSlashCidrTest {

  @ParameterizedTest(name = "{0} n={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0/16/24        | 5          | 172.20.5.0/24
          172.20.0.0/16/24        | 0          | 172.20.0.0/24
          172.20.0.0/16/24        | 255        | 172.20.255.0/24
          172.20.0.0/16/19        | 3          | 172.20.96.0/19
          172.20.96.0/19/25       | 2          | 172.20.97.0/25
          172.20.7.9/16/24        | 5          | 172.20.5.0/24
          10.0.0.0/8/32           | 16777215   | 10.255.255.255/32
          10.0.0.0/24/24          | 0          | 10.0.0.0/24
          fd00:5::/48/112         | 1          | fd00:5::1:0/112
          fd00::/64/128           | 42         | fd00::2a/128
          fd00::/48/120           | 4294967296 | fd00::100:0:0/120
          fd00::/48/128           | 18446744073709551616 | fd00:0:0:1::/128
          """)
  void numbersCidrsInsideThePool(String pool, String n, String expected) {
    assertThat(DoubleSlashCidr.create(pool, new BigInteger(n))).hasToString(expected);
  }

  @ParameterizedTest(name = "{0} n={1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.0.0/16          | 1   | "172.20.0.0/16" is not a double-slash CIDR such as 172.20.0.0/16/24
          172.20.0.0/16/24/28    | 1   | "172.20.0.0/16/24/28" is not a double-slash CIDR such as 172.20.0.0/16/24
          172.20.0.0/24/16       | 1   | bits1 (24) must not be greater than bits2 (16)
          172.20.0.0/16/24       | 256 | n (256) does not fit in the 8 bits between /16 and /24 (largest: 255)
          172.20.0.0/16/24       | -1  | n (-1) must not be negative
          172.20.0.0/16/16       | 1   | n (1) does not fit in the 0 bits between /16 and /16 (largest: 0)
          172.20.0.0/16/33       | 1   | bits2 (33) exceeds 32 for IPv4
          10.0.0.0/7/24          | 1   | bits1 (7) is too low: it must be at least 8 for IPv4
          fd00::/47/64           | 1   | bits1 (47) is too low: it must be at least 48 for IPv6
          fd00::/64/129          | 1   | bits2 (129) exceeds 128 for IPv6
          172.20.0.0/x/24        | 1   | bits1 "x" is not a number
          172.20.0.0/16/         | 1   | bits2 "" is not a number
          172.20.0.300/16/24     | 1   | "172.20.0.300/16" is not a CIDR: IPv4 field 300 exceeds 255
          172.20.0.0/40/48       | 1   | "172.20.0.0/40" is not a CIDR: prefix length 40 exceeds 32
          """)
  void rejectsWithCorrectTexts(String pool, String n, String message) {
    assertThatThrownBy(() -> DoubleSlashCidr.create(pool, new BigInteger(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0} n={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ::ffff:172.20.0.0/112/120 | 5 | 172.20.5.0/24
          """)
  void foldsAnIpv4MappedPool(String pool, String n, String expected) {
    assertThat(DoubleSlashCidr.create(pool, new BigInteger(n))).hasToString(expected);
  }
}
