package io.xcluster.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

@KernelTest
class NetworkNamespaceIT {

  @Test
  void createsAnIsolatedNamespaceAndDeletesItOnClose() {
    String hostRoutes = NetworkNamespace.run(java.util.List.of("ip", "route", "show"));
    NetworkNamespace ns = NetworkNamespace.create("fixture");
    try (ns) {
      assertThat(ns.name()).startsWith("xcni-fixture-");
      assertThat(Files.exists(ns.path())).isTrue();
      ns.addVethPair("va", "vb", "192.168.77.1/24", "fd00:77::1/64");
      assertThat(ns.ip("-4", "route", "show")).contains("192.168.77.0/24 dev va");
      assertThat(ns.ip("-6", "addr", "show", "dev", "va")).contains("fd00:77::1/64");
      assertThat(ns.ip("link", "show", "vb")).contains("state UP");
      assertThat(ns.exec("ping", "-c1", "-W1", "127.0.0.1")).contains("1 received");
    }
    assertThat(Files.exists(ns.path())).isFalse();
    // Nothing of the namespace leaked into the host.
    assertThat(NetworkNamespace.run(java.util.List.of("ip", "route", "show")))
        .isEqualTo(hostRoutes);
  }
}
