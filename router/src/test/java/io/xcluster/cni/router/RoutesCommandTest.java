package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.route.Route;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The JSON shape and the table names of {@code xcluster-cni routes}, without a kernel. */
class RoutesCommandTest {
  @Test
  void jsonHasCanonicalHostRoutesAndOnlyThePresentOptionals() throws Exception {
    Route host =
        new Route(
            Cidr.parse("fd00:7::7/128"),
            IpLiteral.parse("fe80::2"),
            202,
            1000,
            OptionalInt.of(5),
            Optional.of("eth0"),
            OptionalInt.of(42));
    Route plain = Route.of(Cidr.parse("10.9.7.7/32"), IpLiteral.parse("192.168.9.2"), 202, 254);
    assertThat(RoutesCommand.json(List.of(plain, host)).replaceAll("\\s", ""))
        .isEqualTo(
            "[{\"dst\":\"10.9.7.7/32\",\"gateway\":\"192.168.9.2\",\"protocol\":202,\"table\":254},"
                + "{\"dst\":\"fd00:7::7/128\",\"gateway\":\"fe80::2\",\"dev\":\"eth0\","
                + "\"protocol\":202,\"table\":1000,\"metric\":5,\"nexthopId\":42}]");
    assertThat(RoutesCommand.json(List.of())).isEqualTo("[ ]");
  }

  @Test
  void tablesByNumberOrName() {
    RoutesCommand.TableConverter tables = new RoutesCommand.TableConverter();
    assertThat(tables.convert("main")).isEqualTo(254);
    assertThat(tables.convert("local")).isEqualTo(255);
    assertThat(tables.convert("100")).isEqualTo(100);
    assertThat(Integer.toUnsignedLong(tables.convert("4294967295"))).isEqualTo(4294967295L);
    assertThatThrownBy(() -> tables.convert("0"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("table 0 is not in 1..4294967295");
    assertThatThrownBy(() -> tables.convert("4294967296"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }
}
