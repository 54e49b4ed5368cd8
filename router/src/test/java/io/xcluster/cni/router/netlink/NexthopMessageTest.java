package io.xcluster.cni.router.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.IpLiteral;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nexthop-object messages byte for byte. */
class NexthopMessageTest {
  /** {@code ip nexthop add id 5 via 192.168.9.2 dev <3> proto 202}, exclusive create. */
  static final String CREATE =
      "30000000" // nlmsg_len 48
          + "6800" // RTM_NEWNEXTHOP (104)
          + "0506" // REQUEST|ACK|EXCL|CREATE
          + "03000000" // seq 3
          + "00000000" // port id
          + "02" // nh_family AF_INET
          + "00" // nh_scope universe
          + "ca" // nh_protocol 202
          + "00" // resvd
          + "00000000" // nh_flags
          + "0800"
          + "0100"
          + "05000000" // NHA_ID 5
          + "0800"
          + "0600"
          + "c0a80902" // NHA_GATEWAY 192.168.9.2
          + "0800"
          + "0500"
          + "03000000"; // NHA_OIF 3

  @Test
  void packsAndParsesAGatewayNexthop() {
    NexthopMessage nh =
        new NexthopMessage(
            RouteMessage.AF_INET, 202, 5, Optional.of(IpLiteral.parse("192.168.9.2")), 3);
    ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    nh.pack(
        buf,
        NexthopMessage.RTM_NEWNEXTHOP,
        NetlinkHeader.NLM_F_REQUEST
            | NetlinkHeader.NLM_F_ACK
            | NetlinkHeader.NLM_F_CREATE
            | NetlinkHeader.NLM_F_EXCL,
        3);
    assertThat(HexFormat.of().formatHex(buf.array(), 0, buf.position())).isEqualTo(CREATE);

    Message m =
        Message.split(
                ByteBuffer.wrap(HexFormat.of().parseHex(CREATE)).order(ByteOrder.LITTLE_ENDIAN))
            .getFirst();
    assertThat(NexthopMessage.parse(m.payload())).isEqualTo(nh);
  }
}
