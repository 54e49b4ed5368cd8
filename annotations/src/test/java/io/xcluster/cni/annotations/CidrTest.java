package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} -> {1} (host bits cleared: {2})")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.5.0/24            | 172.20.5.0/24        | false
          172.20.5.7/24            | 172.20.5.0/24        | true
          10.0.0.1/32              | 10.0.0.1/32          | false
          0.0.0.0/0                | 0.0.0.0/0            | false
          fd00:5:0:0:0:0:1:0/112   | fd00:5::1:0/112      | false
          FD00::1:5/112            | fd00::1:0/112        | true
          1000::1:c0a8:203/128     | 1000::1:c0a8:203/128 | false
          ::/0                     | ::/0                 | false
          ::ffff:20.0.0.0/120      | 20.0.0.0/24          | false
          ::ffff:20.0.0.1/128      | 20.0.0.1/32          | false
          ::ffff:0.0.0.0/96        | 0.0.0.0/0            | false
          ::ffff:20.0.0.7/120      | 20.0.0.0/24          | true
          """)
  void parsesToCanonicalForm(String text, String canonical, boolean cleared) {
    Cidr.Parsed parsed = Cidr.parseLenient(text);
    assertThat(parsed.cidr()).hasToString(canonical);
    assertThat(parsed.hostBitsCleared()).isEqualTo(cleared);
    assertThat(Cidr.parseLenient(canonical).cidr()).isEqualTo(parsed.cidr());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.0/33          | prefix length 33 exceeds 32
          fd00::/129           | prefix length 129 exceeds 128
          10.0.0.0             | no prefix length (expected address/length)
          10.0.0.0/            | prefix length '' is not a number from 0 to 128
          10.0.0.0/-1          | prefix length '-1' is not a number from 0 to 128
          10.0.0.0/ 24         | prefix length ' 24' is not a number from 0 to 128
          10.0.0.0/2a          | prefix length '2a' is not a number from 0 to 128
          10.0.0.0/16/24       | more than one '/'
          /24                  | empty address
          10.0.0.300/24        | IPv4 field 300 exceeds 255
          ::ffff:20.0.0.0/80   | an IPv4-mapped prefix needs a length of at least 96, not 80
          """)
  void rejectsWithAReason(String text, String reason) {
    assertThatThrownBy(() -> Cidr.parseLenient(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @Test
  void strictParseRefusesHostBits() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.1/24"))
        .hasMessage("host bits are set (the prefix is 10.0.0.0/24)");
    assertThat(Cidr.parse("10.0.0.0/24")).hasToString("10.0.0.0/24");
  }

  @Test
  void constructorRefusesNonCanonical() {
    assertThatThrownBy(() -> new Cidr(IpLiteral.parse("10.0.0.1"), 24))
        .hasMessage("10.0.0.1/24 has host bits set");
    assertThatThrownBy(() -> new Cidr(IpLiteral.parse("10.0.0.0"), 33))
        .hasMessage("prefix length 33 out of range for IPv4");
  }

  @Test
  void containsAndOverlaps() {
    Cidr net = Cidr.parse("10.1.0.0/16");
    assertThat(net.contains(IpLiteral.parse("10.1.255.255"))).isTrue();
    assertThat(net.contains(IpLiteral.parse("10.2.0.0"))).isFalse();
    assertThat(net.contains(IpLiteral.parse("::a01:0"))).isFalse();
    assertThat(net.overlaps(Cidr.parse("10.1.5.0/24"))).isTrue();
    assertThat(Cidr.parse("10.1.5.0/24").overlaps(net)).isTrue();
    assertThat(net.overlaps(Cidr.parse("10.2.0.0/16"))).isFalse();
    assertThat(Cidr.parse("fd00::/64").overlaps(Cidr.parse("fd00::1:0/112"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").overlaps(Cidr.parse("::/0"))).isFalse();
  }

  @Test
  void ofMasksTheAddress() {
    assertThat(Cidr.of(IpLiteral.parse("192.168.1.77"), 26)).hasToString("192.168.1.64/26");
    assertThat(Cidr.of(IpLiteral.parse("fd00::1:2:3"), 120)).hasToString("fd00::1:2:0/120");
  }

  @Test
  void sortsIpv4FirstThenByAddressThenShorterFirst() {
    List<Cidr> cidrs =
        new ArrayList<>(
            List.of(
                Cidr.parse("fd00::/64"),
                Cidr.parse("10.0.1.0/24"),
                Cidr.parse("10.0.0.0/24"),
                Cidr.parse("10.0.0.0/16")));
    cidrs.sort(null);
    assertThat(cidrs)
        .extracting(Cidr::toString)
        .containsExactly("10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24", "fd00::/64");
  }
}
