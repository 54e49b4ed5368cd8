package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteMonitorTest {

  @Test
  void anAddedOrReplacedRouteStartsWithItsDestination() {
    assertThat(RouteMonitor.adds("10.128.3.0/24 via 172.16.0.5 dev v0 proto 202 ", "10.128.3.0/24"))
        .isTrue();
    assertThat(
            RouteMonitor.adds(
                "fd00:10:244:5::/64 via fd00:192:168::6 dev v0 proto 202 metric 1024 pref medium",
                "fd00:10:244:5::/64"))
        .isTrue();
  }

  @Test
  void deletionsAndOtherDestinationsDoNotCount() {
    assertThat(RouteMonitor.adds("Deleted 10.128.3.0/24 via 172.16.0.5 dev v0", "10.128.3.0/24"))
        .isFalse();
    assertThat(RouteMonitor.adds("10.128.30.0/24 via 172.16.0.5 dev v0", "10.128.3.0/24"))
        .isFalse();
    assertThat(RouteMonitor.adds("10.128.3.0/25 via 172.16.0.5 dev v0", "10.128.3.0/24")).isFalse();
  }
}
