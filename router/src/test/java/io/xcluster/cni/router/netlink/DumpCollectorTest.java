package io.xcluster.cni.router.netlink;

import static io.xcluster.cni.router.netlink.RouteMessageTest.KERNEL_DUMP;
import static io.xcluster.cni.router.netlink.RouteMessageTest.KERNEL_DUMP_DONE;
import static io.xcluster.cni.router.netlink.RouteMessageTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A dump taken datagram by datagram: completion, NLM_F_DUMP_INTR, refusals, other sequences. */
class DumpCollectorTest {
  static DumpCollector<RouteMessage> collector(int seq) {
    return new DumpCollector<>(seq, m -> RouteMessage.parse(m.payload()));
  }

  @Test
  void collectsUntilDone() throws Exception {
    DumpCollector<RouteMessage> c = collector(1);
    assertThat(c.take(fixture(KERNEL_DUMP))).isFalse();
    assertThat(c.take(fixture(KERNEL_DUMP_DONE))).isTrue();
    assertThat(c.results()).hasSize(2);
    assertThat(c.interrupted()).isFalse();
  }

  @Test
  void remembersAnInterruptedDump() throws Exception {
    // The same dump with NLM_F_DUMP_INTR (0x10) on the first message: flags 0x0032.
    String interrupted = "3c000000 1800 3200" + KERNEL_DUMP.replace(" ", "").substring(16);
    DumpCollector<RouteMessage> c = collector(1);
    c.take(fixture(interrupted));
    assertThat(c.take(fixture(KERNEL_DUMP_DONE))).isTrue();
    assertThat(c.interrupted()).isTrue();
  }

  @Test
  void skipsOtherSequenceNumbers() throws Exception {
    DumpCollector<RouteMessage> c = collector(2);
    assertThat(c.take(fixture(KERNEL_DUMP))).isFalse();
    assertThat(c.take(fixture(KERNEL_DUMP_DONE))).isFalse();
    assertThat(c.results()).isEmpty();
  }

  @Test
  void aFailedDumpIsAnException() {
    String failed =
        "28000000 0300 2202 01000000 5b790000" // 40 bytes, NLMSG_DONE, MULTI|ACK_TLVS, seq 1
            + "feffffff" // error -2 (ENOENT)
            + "1200 0100" // NLMSGERR_ATTR_MSG, 18 bytes
            + "6e6f2073756368207461626c6500" // "no such table" and NUL
            + "0000"; // padding to 4 bytes
    DumpCollector<RouteMessage> c = collector(1);
    assertThatThrownBy(() -> c.take(fixture(failed)))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(2);
              assertThat(e.extendedAck()).contains("no such table");
            });
  }
}
