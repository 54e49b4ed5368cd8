package io.xcluster.cni.router.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.IpLiteral;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which link a gateway is on, from the interface addresses. */
class NexthopsTest {
  static AddressMessage address(String ip, int length, int index) {
    boolean v4 = !ip.contains(":");
    return new AddressMessage(
        v4 ? RouteMessage.AF_INET : RouteMessage.AF_INET6,
        length,
        index,
        Optional.of(IpLiteral.parse(ip)));
  }

  static final List<AddressMessage> ADDRESSES =
      List.of(
          address("127.0.0.1", 8, 1),
          address("192.168.0.1", 16, 2),
          address("192.168.9.1", 24, 3),
          address("10.0.0.5", 32, 4),
          address("fd00:9::1", 64, 3),
          address("fe80::1", 64, 2),
          address("fe80::2", 64, 3));

  @Test
  void theLongestOnLinkPrefixWins() {
    assertThat(Nexthops.onLink(IpLiteral.parse("192.168.9.7"), ADDRESSES)).isEqualTo(3);
    assertThat(Nexthops.onLink(IpLiteral.parse("192.168.8.7"), ADDRESSES)).isEqualTo(2);
    assertThat(Nexthops.onLink(IpLiteral.parse("fd00:9::7"), ADDRESSES)).isEqualTo(3);
  }

  @Test
  void noPrefixOrATieLeavesItToTheKernel() {
    assertThat(Nexthops.onLink(IpLiteral.parse("172.16.0.1"), ADDRESSES)).isZero();
    assertThat(Nexthops.onLink(IpLiteral.parse("10.0.0.5"), ADDRESSES)).isZero(); // a /32
    assertThat(Nexthops.onLink(IpLiteral.parse("fe80::9"), ADDRESSES)).isZero(); // two links
  }
}
