package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnotationValuesTest {
  private static final String KEY = "cidr.example.com/net3";

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          172.20.5.0/24,fd00:5::1:0/112              | 172.20.5.0/24 fd00:5::1:0/112
          '172.20.5.0/24, fd00:5::1:0/112'           | 172.20.5.0/24 fd00:5::1:0/112
          ' 172.20.5.0/24 ,	fd00:5::1:0/112 '       | 172.20.5.0/24 fd00:5::1:0/112
          fd00:5::1:0/112,172.20.5.0/24              | fd00:5::1:0/112 172.20.5.0/24
          10.0.0.0/24,10.0.1.0/24,10.0.2.0/24        | 10.0.0.0/24 10.0.1.0/24 10.0.2.0/24
          fd00::/112,fd01::/112                      | fd00::/112 fd01::/112
          ::ffff:20.0.0.0/120                        | 20.0.0.0/24
          10.0.0.1/32,fd00::1/128                    | 10.0.0.1/32 fd00::1/128
          """)
  void parsesCidrListsInOrder(String value, String expected) {
    AnnotationValues.CidrList list = AnnotationValues.parseCidrs(KEY, value);
    assertThat(list.cidrs()).extracting(Cidr::toString).containsExactly(expected.split(" "));
    assertThat(list.warnings()).isEmpty();
  }

  @Test
  void warnsWhenHostBitsAreCleared() {
    AnnotationValues.CidrList list = AnnotationValues.parseCidrs(KEY, "10.0.0.7/24,FD00::7/64");
    assertThat(list.cidrs()).extracting(Cidr::toString).containsExactly("10.0.0.0/24", "fd00::/64");
    assertThat(list.warnings())
        .containsExactly(
            KEY + ": \"10.0.0.7/24\" has host bits set; using 10.0.0.0/24 (write it that way)",
            KEY + ": \"FD00::7/64\" has host bits set; using fd00::/64 (write it that way)");
  }

  @Test
  void dropsARepeatWithAWarning() {
    AnnotationValues.CidrList list = AnnotationValues.parseCidrs(KEY, "10.0.0.0/24,10.0.0.1/24");
    assertThat(list.cidrs()).extracting(Cidr::toString).containsExactly("10.0.0.0/24");
    assertThat(list.warnings())
        .contains(KEY + ": \"10.0.0.1/24\" repeats 10.0.0.0/24; the repeat is ignored");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.0/33                 | cidr.example.com/net3: "10.0.0.0/33" is not a CIDR: prefix length 33 exceeds 32
          10.0.0.0/24,                | cidr.example.com/net3: "" is an empty item
          '10.0.0.0/24, ,fd00::/64'   | cidr.example.com/net3: " " is an empty item
          ,10.0.0.0/24                | cidr.example.com/net3: "" is an empty item
          10.0.0.0/24;fd00::/64       | cidr.example.com/net3: "10.0.0.0/24;fd00::/64" is not a CIDR: more than one '/'
          10.0.0.0/2;4                | cidr.example.com/net3: "10.0.0.0/2;4" is not a CIDR: prefix length '2;4' is not a number from 0 to 128
          10.0.0.0                    | cidr.example.com/net3: "10.0.0.0" is not a CIDR: no prefix length (expected address/length)
          not-a-cidr/24               | cidr.example.com/net3: "not-a-cidr/24" is not a CIDR: unexpected character 'n'
          '   '                       | cidr.example.com/net3: "   " is empty
          """)
  void rejectsBadCidrListsNamingKeyAndItem(String value, String message) {
    assertThatThrownBy(() -> AnnotationValues.parseCidrs(KEY, value))
        .isInstanceOf(AnnotationFormatException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((AnnotationFormatException) e).key()).isEqualTo(KEY));
  }

  @Test
  void exceptionCarriesKeyValueAndReason() {
    AnnotationFormatException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            AnnotationFormatException.class,
            () -> AnnotationValues.parseCidrs(KEY, "172.20.5.0/24, 10.0.0.0/33"));
    assertThat(e.key()).isEqualTo(KEY);
    assertThat(e.value()).isEqualTo("10.0.0.0/33");
    assertThat(e.reason()).isEqualTo("is not a CIDR: prefix length 33 exceeds 32");
    assertThat(e)
        .hasMessage(
            "cidr.example.com/net3: \"10.0.0.0/33\" is not a CIDR: prefix length 33 exceeds 32");
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          192.168.2.3,1000::1:c0a8:203     | 192.168.2.3 1000::1:c0a8:203
          ' 192.168.2.3 , 1000::1:c0a8:203'| 192.168.2.3 1000::1:c0a8:203
          1000::1:c0a8:203,192.168.2.3     | 1000::1:c0a8:203 192.168.2.3
          ::ffff:192.168.2.3               | 192.168.2.3
          10.0.0.1,10.0.0.2                | 10.0.0.1 10.0.0.2
          """)
  void parsesAddressLists(String value, String expected) {
    assertThat(AnnotationValues.parseAddresses("adr.example.com/net3", value))
        .extracting(IpLiteral::format)
        .containsExactly(expected.split(" "));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          192.168.2.3/24         | adr.example.com/net3: "192.168.2.3/24" is not an IP address: expected a plain address, without a prefix length
          192.168.2.3,,10.0.0.1  | adr.example.com/net3: "" is an empty item
          node-1.example.com     | adr.example.com/net3: "node-1.example.com" is not an IP address: unexpected character 'n'
          fe80::1%eth2           | adr.example.com/net3: "fe80::1%eth2" is not an IP address: zone indexes (%eth2) are not allowed
          """)
  void rejectsBadAddressLists(String value, String message) {
    assertThatThrownBy(() -> AnnotationValues.parseAddresses("adr.example.com/net3", value))
        .isInstanceOf(AnnotationFormatException.class)
        .hasMessage(message);
  }

  @Test
  void itemListsFromNodeFieldsUseTheSameRules() {
    assertThat(
            AnnotationValues.parseCidrItems("spec.podCIDRs", List.of("10.244.1.0/24", "fd00::/64"))
                .cidrs())
        .extracting(Cidr::toString)
        .containsExactly("10.244.1.0/24", "fd00::/64");
    assertThatThrownBy(() -> AnnotationValues.parseCidrItems("spec.podCIDRs", List.of("bad")))
        .hasMessageStartingWith("spec.podCIDRs: \"bad\" is not a CIDR");
  }
}
