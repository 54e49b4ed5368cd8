package io.xcluster.cni.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A value: what a record of its components would be, without holding an Optional per field. */
class NodeReadingTest {
  static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
  static final List<Cidr> CIDRS = List.of(Cidr.parse("10.1.0.0/24"));
  static final List<InetAddress> ADDRESSES = List.of(IpLiteral.parse("192.168.1.1"));

  static NodeReading badAddresses(String name) {
    return new NodeReading(
        name,
        CREATED,
        Optional.of(CIDRS),
        Optional.empty(),
        List.of("a warning"),
        Optional.empty(),
        Optional.of("no address"));
  }

  @Test
  void givesBackWhatItWasGiven() {
    NodeReading r = badAddresses("a");

    assertThat(r.name()).isEqualTo("a");
    assertThat(r.created()).isEqualTo(CREATED);
    assertThat(r.cidrs()).contains(CIDRS);
    assertThat(r.addresses()).isEmpty();
    assertThat(r.warnings()).containsExactly("a warning");
    assertThat(r.cidrError()).isEmpty();
    assertThat(r.addressError()).contains("no address");
    assertThat(r.readable()).isFalse();
    assertThat(r.problems()).containsExactly("no address", "a warning");
    assertThat(NodeReading.of("a", null, CIDRS, ADDRESSES).created()).isEqualTo(Instant.MAX);
    assertThat(NodeReading.of("a", CREATED, CIDRS, ADDRESSES).readable()).isTrue();
  }

  @Test
  void equalReadingsAreEqual() {
    assertThat(badAddresses("a"))
        .isEqualTo(badAddresses("a"))
        .hasSameHashCodeAs(badAddresses("a"))
        .isNotEqualTo(badAddresses("b"))
        .isNotEqualTo(NodeReading.of("a", CREATED, CIDRS, ADDRESSES));
    assertThat(NodeReading.of("a", CREATED, CIDRS, ADDRESSES))
        .isEqualTo(NodeReading.of("a", CREATED, CIDRS, ADDRESSES))
        .hasToString(
            "NodeReading[name=a, created=2024-01-01T00:00:00Z, cidrs=Optional[[10.1.0.0/24]],"
                + " addresses=Optional[[/192.168.1.1]], warnings=[], cidrError=Optional.empty,"
                + " addressError=Optional.empty]");
  }

  @Test
  void holdsAValueOrAReasonWhyNot() {
    assertThatThrownBy(
            () ->
                new NodeReading(
                    "a",
                    CREATED,
                    Optional.of(CIDRS),
                    Optional.of(ADDRESSES),
                    List.of(),
                    Optional.of("both"),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new NodeReading(
                    "a",
                    CREATED,
                    Optional.of(CIDRS),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
