package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAnnotationsTest {
  private static final String CIDR = "cidr.example.com/net3";
  private static final String ADR = "adr.example.com/net3";

  private static final NodeAnnotations SPEC = NodeAnnotations.fromSpec();
  private static final NodeAnnotations BOTH =
      new NodeAnnotations(Optional.of(CIDR), Optional.of(ADR));

  private static NodeFields.Address internal(String ip) {
    return new NodeFields.Address("InternalIP", ip);
  }

  /** Named cases: reader, node, expected CIDRs, expected addresses (canonical text). */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "spec fields: podCIDRs and InternalIP, in order",
            SPEC,
            new NodeFields(
                "n1",
                Map.of(),
                List.of("10.244.1.0/24", "fd00:244:1::/64"),
                List.of(
                    new NodeFields.Address("Hostname", "n1"),
                    internal("192.168.1.2"),
                    new NodeFields.Address("ExternalIP", "203.0.113.9"),
                    internal("fd00::192.168.1.2"))),
            "10.244.1.0/24 fd00:244:1::/64",
            "192.168.1.2 fd00::c0a8:102"),
        Arguments.of(
            "annotations, dual-stack, non-canonical, with spaces",
            BOTH,
            new NodeFields(
                "n2",
                Map.of(
                    CIDR,
                    "172.20.5.7/24 , FD00:5:0::1:0/112",
                    ADR,
                    " 192.168.2.3, 1000::1:c0a8:203"),
                List.of("10.244.2.0/24"),
                List.of(internal("192.168.1.3"))),
            "172.20.5.0/24 fd00:5::1:0/112",
            "192.168.2.3 1000::1:c0a8:203"),
        Arguments.of(
            "IPv4-mapped IPv6 folds to IPv4",
            BOTH,
            new NodeFields(
                "n3",
                Map.of(CIDR, "::ffff:20.0.0.0/120", ADR, "::ffff:192.168.2.4"),
                List.of(),
                List.of()),
            "20.0.0.0/24",
            "192.168.2.4"),
        Arguments.of(
            "configured CIDR annotation absent: no CIDRs, podCIDRs not used",
            new NodeAnnotations(Optional.of(CIDR), Optional.empty()),
            new NodeFields("n4", Map.of(), List.of("10.244.4.0/24"), List.of(internal("10.0.0.4"))),
            "",
            "10.0.0.4"),
        Arguments.of(
            "configured address annotation absent: no addresses, InternalIP not used",
            new NodeAnnotations(Optional.empty(), Optional.of(ADR)),
            new NodeFields(
                "n5", Map.of(), List.of("10.244.5.0/24"), List.of(internal("192.168.1.5"))),
            "10.244.5.0/24",
            ""),
        Arguments.of(
            "address annotation takes precedence over InternalIP",
            new NodeAnnotations(Optional.empty(), Optional.of(ADR)),
            new NodeFields(
                "n6",
                Map.of(ADR, "192.168.6.6"),
                List.of("10.244.6.0/24"),
                List.of(internal("192.168.1.6"))),
            "10.244.6.0/24",
            "192.168.6.6"),
        Arguments.of(
            "more than two CIDRs and two of one family are all kept, in order",
            BOTH,
            new NodeFields(
                "n7",
                Map.of(CIDR, "10.0.7.0/24,fd00:7::/64,10.1.7.0/24,fd01:7::/64", ADR, "192.168.7.7"),
                List.of(),
                List.of()),
            "10.0.7.0/24 fd00:7::/64 10.1.7.0/24 fd01:7::/64",
            "192.168.7.7"),
        Arguments.of(
            "host routes stay CIDRs",
            BOTH,
            new NodeFields(
                "n8", Map.of(CIDR, "10.0.8.1/32,fd00::8/128", ADR, "192.168.8.8"), null, null),
            "10.0.8.1/32 fd00::8/128",
            "192.168.8.8"),
        Arguments.of(
            "no podCIDRs and no InternalIP: empty, not an error",
            SPEC,
            new NodeFields("n9", null, null, List.of(new NodeFields.Address("Hostname", "n9"))),
            "",
            ""),
        Arguments.of(
            "blank annotation names mean spec fields",
            new NodeAnnotations(Optional.of(""), Optional.of(" ")),
            new NodeFields(
                "n10",
                Map.of(CIDR, "10.9.9.0/24"),
                List.of("10.244.10.0/24"),
                List.of(internal("192.168.1.10"))),
            "10.244.10.0/24",
            "192.168.1.10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsNodes(
      String name, NodeAnnotations reader, NodeFields node, String cidrs, String addresses) {
    NodeNetwork network = reader.read(node);
    assertThat(network.node()).isEqualTo(node.name());
    assertThat(network.cidrs().stream().map(Cidr::toString))
        .containsExactly(cidrs.isEmpty() ? new String[0] : cidrs.split(" "));
    assertThat(network.addresses().stream().map(IpLiteral::format))
        .containsExactly(addresses.isEmpty() ? new String[0] : addresses.split(" "));
  }

  @Test
  void gatewayIsTheFirstAddressOfTheCidrsFamily() {
    NodeNetwork network =
        BOTH.read(
            new NodeFields(
                "n",
                Map.of(CIDR, "10.0.0.0/24,fd00::/64", ADR, "fd00:1::1,192.168.0.1,192.168.0.2"),
                null,
                null));
    assertThat(network.gatewayFor(Cidr.parse("10.0.0.0/24")).map(IpLiteral::format))
        .hasValue("192.168.0.1");
    assertThat(network.gatewayFor(Cidr.parse("fd00::/64")).map(IpLiteral::format))
        .hasValue("fd00:1::1");
  }

  @Test
  void noAddressOfTheFamilyMeansNoGateway() {
    NodeNetwork network =
        BOTH.read(
            new NodeFields(
                "n", Map.of(CIDR, "10.0.0.0/24,fd00::/64", ADR, "192.168.0.1"), null, null));
    assertThat(network.gatewayFor(Cidr.parse("fd00::/64"))).isEmpty();
  }

  @Test
  void linkLocalNextHopIsFlagged() {
    NodeNetwork network =
        BOTH.read(new NodeFields("n", Map.of(CIDR, "fd00::/64", ADR, "fe80::1"), null, null));
    InetAddress gw = network.gatewayFor(Cidr.parse("fd00::/64")).orElseThrow();
    assertThat(NodeNetwork.needsDevice(gw)).isTrue();
    assertThat(NodeNetwork.needsDevice(IpLiteral.parse("fd00::1"))).isFalse();
    assertThat(NodeNetwork.needsDevice(IpLiteral.parse("169.254.0.1"))).isFalse();
    assertThat(network.warnings())
        .containsExactly(
            "next hop fe80::1 for fd00::/64 is IPv6 link-local: a route via it needs an outgoing"
                + " device");
  }

  @Test
  void hostBitWarningsReachTheNetwork() {
    NodeNetwork network =
        BOTH.read(new NodeFields("n", Map.of(CIDR, "10.0.0.1/24", ADR, "10.1.0.1"), null, null));
    assertThat(network.warnings()).singleElement().asString().contains("has host bits set");
  }

  @Test
  void malformedValuesNameTheirSource() {
    assertThatThrownBy(
            () -> BOTH.read(new NodeFields("n", Map.of(CIDR, "10.0.0.0/33"), null, null)))
        .isInstanceOf(AnnotationFormatException.class)
        .hasMessage(
            "cidr.example.com/net3: \"10.0.0.0/33\" is not a CIDR: prefix length 33 exceeds 32");
    assertThatThrownBy(
            () -> BOTH.read(new NodeFields("n", Map.of(CIDR, "10.0.0.0/24", ADR, "x"), null, null)))
        .isInstanceOf(AnnotationFormatException.class)
        .hasMessageStartingWith("adr.example.com/net3: \"x\" is not an IP address");
    assertThatThrownBy(() -> SPEC.read(new NodeFields("n", null, List.of("10.0.0.0/40"), null)))
        .hasMessageStartingWith("spec.podCIDRs: \"10.0.0.0/40\"");
    assertThatThrownBy(
            () -> SPEC.read(new NodeFields("n", null, null, List.of(internal("300.0.0.1")))))
        .hasMessageStartingWith("status.addresses: \"300.0.0.1\"");
  }

  @Test
  void invalidAnnotationNamesAreRefusedUpFront() {
    assertThatThrownBy(() -> new NodeAnnotations(Optional.of("cidr example"), Optional.empty()))
        .hasMessageStartingWith("\"cidr example\" is not a valid annotation name");
  }
}
