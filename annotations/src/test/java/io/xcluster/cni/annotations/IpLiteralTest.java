package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.1                  | 10.0.0.1
          0.0.0.0                   | 0.0.0.0
          255.255.255.255           | 255.255.255.255
          ::                        | ::
          ::1                       | ::1
          1::                       | 1::
          FD00:0:0:0:0:0:0:1        | fd00::1
          fd00:5:0:0:0:0:1:0        | fd00:5::1:0
          2001:db8:0:0:1:0:0:1      | 2001:db8::1:0:0:1
          2001:db8:0:1:1:1:1:1      | 2001:db8:0:1:1:1:1:1
          1000::1:c0a8:203          | 1000::1:c0a8:203
          ::ffff:192.168.1.2        | 192.168.1.2
          ::ffff:c0a8:102           | 192.168.1.2
          64:ff9b::192.0.2.33       | 64:ff9b::c000:221
          fe80::1                   | fe80::1
          """)
  void parsesAndFormatsCanonically(String text, String canonical) {
    assertThat(IpLiteral.format(IpLiteral.parse(text))).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0                    | an IPv4 address has 4 fields
          10.0.0.1.2                | unexpected character '.' after the 4th field
          10.0.0.256                | IPv4 field 256 exceeds 255
          10.00.0.1                 | IPv4 field has a leading zero
          10.0.0.1234               | IPv4 field has more than 3 digits
          localhost                 | unexpected character 'l'
          fe80::1%eth0              | zone indexes (%eth0) are not allowed
          1:::2                     | '::' appears more than once
          1::2::3                   | '::' appears more than once
          1:2:3:4:5:6:7             | an IPv6 address has 8 groups (or '::')
          1:2:3:4:5:6:7:8:9         | too many groups for an IPv6 address
          1:2:3:4::5:6:7:8          | too many groups for an IPv6 address with '::'
          12345::                   | group '12345' has more than 4 hex digits
          1.2.3.4::                 | an embedded IPv4 address must come last
          :1:2:3:4:5:6:7            | empty group
          g::1                      | unexpected character 'g'
          """)
  void rejectsWithAReason(String text, String reason) {
    assertThatThrownBy(() -> IpLiteral.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource({"::ffff:10.1.2.3", "::FFFF:0a01:0203"})
  void foldsIpv4MappedToIpv4(String text) {
    assertThat(IpLiteral.parse(text)).isInstanceOf(Inet4Address.class);
  }
}
