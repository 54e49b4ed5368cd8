package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OwnAddressPublisherTest {
  @Test
  void writesGlobalAddressesOfTheLinkIpv4FirstAndOnlyWhenTheyChange() {
    AtomicReference<LocalAddresses> host =
        new AtomicReference<>(
            new LocalAddresses(
                List.of(
                    LinkAddress.of("eth0", "10.0.0.1/24"),
                    LinkAddress.of("eth2", "fe80::1/64"),
                    LinkAddress.of("eth2", "fd00:3::10/64"),
                    LinkAddress.of("eth2", "192.168.3.10/24"))));
    List<String> writes = new ArrayList<>();
    OwnAddressPublisher publisher =
        new OwnAddressPublisher(
            host::get,
            "eth2",
            "addr.example.com/net3",
            "self",
            (n, k, v) -> writes.add(n + " " + k + "=" + v));

    assertThat(publisher.publish()).isTrue();
    assertThat(publisher.publish()).isFalse();
    host.set(new LocalAddresses(List.of(LinkAddress.of("eth2", "192.168.3.11/24"))));
    assertThat(publisher.publish()).isTrue();
    host.set(new LocalAddresses(List.of(LinkAddress.of("eth0", "10.0.0.1/24"))));
    assertThat(publisher.publish()).as("a link without addresses writes nothing").isFalse();

    assertThat(writes)
        .containsExactly(
            "self addr.example.com/net3=192.168.3.10,fd00:3::10",
            "self addr.example.com/net3=192.168.3.11");
  }
}
