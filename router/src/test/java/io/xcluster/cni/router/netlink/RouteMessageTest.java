package io.xcluster.cni.router.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.route.Route;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Route, error and dump messages, packed and parsed byte for byte against fixtures. Numbers in the
 * headers are little-endian (the fixtures are for x86 and arm64, whose native order that is);
 * addresses are in network order.
 */
class RouteMessageTest {
  static final HexFormat HEX = HexFormat.of();

  /** 10.9.1.0/24 via 192.168.9.2 proto 202, table main: RTM_NEWROUTE with create and replace. */
  static final String IPV4_REPLACE =
      "34000000" // nlmsg_len 52
          + "1800" // nlmsg_type RTM_NEWROUTE (24)
          + "0505" // flags REQUEST|ACK|REPLACE|CREATE
          + "07000000" // seq 7
          + "00000000" // port id 0
          + "02" // rtm_family AF_INET
          + "18" // rtm_dst_len 24
          + "00" // rtm_src_len
          + "00" // rtm_tos
          + "fe" // rtm_table main (254)
          + "ca" // rtm_protocol 202
          + "00" // rtm_scope universe
          + "01" // rtm_type unicast
          + "00000000" // rtm_flags
          + "0800 0f00 fe000000" // RTA_TABLE 254
          + "0800 0100 0a090100" // RTA_DST 10.9.1.0
          + "0800 0500 c0a80902"; // RTA_GATEWAY 192.168.9.2

  /** fd00:1::/64 via fd00:9::2 metric 100 proto 202, table main. */
  static final String IPV6_REPLACE =
      "54000000" // nlmsg_len 84
          + "1800" // RTM_NEWROUTE
          + "0505" // REQUEST|ACK|REPLACE|CREATE
          + "08000000" // seq 8
          + "00000000" // port id
          + "0a" // AF_INET6
          + "40" // dst_len 64
          + "0000" // src_len, tos
          + "fe" // table main
          + "ca" // protocol 202
          + "00" // scope universe
          + "01" // unicast
          + "00000000" // flags
          + "0800 0f00 fe000000" // RTA_TABLE 254
          + "1400 0100 fd000001000000000000000000000000" // RTA_DST fd00:1::
          + "1400 0500 fd000009000000000000000000000002" // RTA_GATEWAY fd00:9::2
          + "0800 0600 64000000"; // RTA_PRIORITY 100

  /** 10.9.2.0/24 nhid 5 proto 202 in table 1000, which only RTA_TABLE can hold. */
  static final String TABLE_1000_NEXTHOP =
      "34000000" // nlmsg_len 52
          + "1800" // RTM_NEWROUTE
          + "0505" // REQUEST|ACK|REPLACE|CREATE
          + "09000000" // seq 9
          + "00000000" // port id
          + "02" // AF_INET
          + "18" // dst_len 24
          + "0000" // src_len, tos
          + "00" // rtm_table RT_TABLE_UNSPEC: the id is in RTA_TABLE
          + "ca" // protocol 202
          + "00" // scope universe
          + "01" // unicast
          + "00000000" // flags
          + "0800 0f00 e8030000" // RTA_TABLE 1000
          + "0800 0100 0a090200" // RTA_DST 10.9.2.0
          + "0800 1e00 05000000"; // RTA_NH_ID 5

  /**
   * A kernel dump datagram (captured from Linux 6.18) with two routes of protocol 202: {@code
   * 10.9.1.0/24 via 192.168.9.2 dev 3} and {@code 10.9.2.0/24 via 192.168.9.3 dev 3 metric 7}.
   */
  static final String KERNEL_DUMP =
      "3c000000" // nlmsg_len 60
          + "1800" // RTM_NEWROUTE
          + "2200" // NLM_F_MULTI|NLM_F_DUMP_FILTERED
          + "01000000" // seq 1
          + "5b790000" // port id of the dumping socket
          + "02180000 feca0001 00000000" // rtmsg: AF_INET /24, main, 202, unicast
          + "0800 0f00 fe000000" // RTA_TABLE 254
          + "0800 0100 0a090100" // RTA_DST 10.9.1.0
          + "0800 0500 c0a80902" // RTA_GATEWAY 192.168.9.2
          + "0800 0400 03000000" // RTA_OIF 3
          + "44000000" // nlmsg_len 68
          + "1800 2200 01000000 5b790000" // RTM_NEWROUTE, MULTI, seq 1
          + "02180000 feca0001 00000000" // rtmsg
          + "0800 0f00 fe000000" // RTA_TABLE 254
          + "0800 0100 0a090200" // RTA_DST 10.9.2.0
          + "0800 0600 07000000" // RTA_PRIORITY 7
          + "0800 0500 c0a80903" // RTA_GATEWAY 192.168.9.3
          + "0800 0400 03000000"; // RTA_OIF 3

  /** The datagram that ends that dump: NLMSG_DONE with error 0. */
  static final String KERNEL_DUMP_DONE =
      "14000000"
          + "0300 2200 01000000 5b790000" // NLMSG_DONE, MULTI, seq 1
          + "00000000"; // error 0

  /**
   * The kernel's refusal (captured from Linux 6.18, with NETLINK_EXT_ACK and NETLINK_CAP_ACK) of
   * {@code 10.9.0.0/24 via 192.168.10.9} where no link reaches 192.168.10.9. The text is {@code
   * "Nexthop has invalid gateway"} with its NUL.
   */
  static final String ERROR_ACK =
      "44000000" // nlmsg_len 68
          + "0200" // NLMSG_ERROR
          + "0003" // NLM_F_CAPPED|NLM_F_ACK_TLVS
          + "02000000" // seq 2
          + "5b790000" // port id
          + "9bffffff" // error -101 (ENETUNREACH)
          + "34000000 1800 0505 02000000 00000000" // the request's header only
          + "2000 0100" // NLMSGERR_ATTR_MSG, 32 bytes
          + "4e657874686f702068617320696e76616c6964206761746577617900"; // the text

  static ByteBuffer buffer() {
    return ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The bytes of a fixture; spaces only group the hex digits for the reader. */
  static ByteBuffer fixture(String hex) {
    return ByteBuffer.wrap(HEX.parseHex(hex.replace(" ", ""))).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** What was packed, as a fixture without spaces. */
  static String packed(ByteBuffer buf) {
    return HEX.formatHex(buf.array(), 0, buf.position());
  }

  static String bytes(String fixture) {
    return fixture.replace(" ", "");
  }

  static InetAddress ip(String text) {
    return IpLiteral.parse(text);
  }

  static RouteMessage replace(
      String dst,
      int length,
      int table,
      Optional<InetAddress> gw,
      OptionalInt metric,
      OptionalInt nh) {
    InetAddress d = ip(dst);
    return new RouteMessage(
        d.getAddress().length == 4 ? RouteMessage.AF_INET : RouteMessage.AF_INET6,
        length,
        table,
        202,
        RouteMessage.RT_SCOPE_UNIVERSE,
        RouteMessage.RTN_UNICAST,
        0,
        Optional.of(d),
        gw,
        0,
        metric,
        nh);
  }

  static final int REPLACE_FLAGS =
      NetlinkHeader.NLM_F_REQUEST
          | NetlinkHeader.NLM_F_ACK
          | NetlinkHeader.NLM_F_REPLACE
          | NetlinkHeader.NLM_F_CREATE;

  @Test
  void packsAnIpv4Replace() {
    ByteBuffer buf = buffer();
    replace(
            "10.9.1.0",
            24,
            254,
            Optional.of(ip("192.168.9.2")),
            OptionalInt.empty(),
            OptionalInt.empty())
        .pack(buf, RouteMessage.RTM_NEWROUTE, REPLACE_FLAGS, 7);
    assertThat(packed(buf)).isEqualTo(bytes(IPV4_REPLACE));
  }

  @Test
  void packsAnIpv6ReplaceWithAMetric() {
    ByteBuffer buf = buffer();
    replace(
            "fd00:1::",
            64,
            254,
            Optional.of(ip("fd00:9::2")),
            OptionalInt.of(100),
            OptionalInt.empty())
        .pack(buf, RouteMessage.RTM_NEWROUTE, REPLACE_FLAGS, 8);
    assertThat(packed(buf)).isEqualTo(bytes(IPV6_REPLACE));
  }

  @Test
  void packsATableAbove255OnlyInRtaTable() {
    ByteBuffer buf = buffer();
    replace("10.9.2.0", 24, 1000, Optional.empty(), OptionalInt.empty(), OptionalInt.of(5))
        .pack(buf, RouteMessage.RTM_NEWROUTE, REPLACE_FLAGS, 9);
    assertThat(packed(buf)).isEqualTo(bytes(TABLE_1000_NEXTHOP));
  }

  @Test
  void parsesWhatItPacks() {
    for (String hex : List.of(IPV4_REPLACE, IPV6_REPLACE, TABLE_1000_NEXTHOP)) {
      List<Message> messages = Message.split(fixture(hex));
      assertThat(messages).hasSize(1);
      RouteMessage parsed = RouteMessage.parse(messages.getFirst().payload());
      ByteBuffer again = buffer();
      parsed.pack(
          again,
          messages.getFirst().header().type(),
          REPLACE_FLAGS,
          messages.getFirst().header().seq());
      assertThat(packed(again)).isEqualTo(bytes(hex));
    }
    RouteMessage t1000 =
        RouteMessage.parse(Message.split(fixture(TABLE_1000_NEXTHOP)).getFirst().payload());
    assertThat(t1000.table()).isEqualTo(1000);
    assertThat(t1000.nexthopId()).hasValue(5);
    assertThat(t1000.gateway()).isEmpty();
  }

  @Test
  void parsesAMultiMessageDump() {
    List<Message> messages = Message.split(fixture(KERNEL_DUMP));
    assertThat(messages).hasSize(2);
    assertThat(messages).allMatch(m -> m.header().has(NetlinkHeader.NLM_F_MULTI));
    assertThat(messages).allMatch(m -> !m.header().has(NetlinkHeader.NLM_F_DUMP_INTR));
    RouteMessage first = RouteMessage.parse(messages.get(0).payload());
    RouteMessage second = RouteMessage.parse(messages.get(1).payload());
    assertThat(first)
        .isEqualTo(
            new RouteMessage(
                RouteMessage.AF_INET,
                24,
                254,
                202,
                0,
                RouteMessage.RTN_UNICAST,
                0,
                Optional.of(ip("10.9.1.0")),
                Optional.of(ip("192.168.9.2")),
                3,
                OptionalInt.empty(),
                OptionalInt.empty()));
    assertThat(second.priority()).hasValue(7);

    Map<Integer, String> names = Map.of(3, "v0");
    assertThat(NetlinkRouteTable.toRoute(first, names, Map.of()).orElseThrow().toString())
        .isEqualTo("10.9.1.0/24 via 192.168.9.2 dev v0 proto 202");
    assertThat(NetlinkRouteTable.toRoute(second, names, Map.of()).orElseThrow().toString())
        .isEqualTo("10.9.2.0/24 via 192.168.9.3 dev v0 proto 202 metric 7");

    List<Message> done = Message.split(fixture(KERNEL_DUMP_DONE));
    assertThat(done.getFirst().header().type()).isEqualTo(NetlinkHeader.NLMSG_DONE);
    assertThat(ErrorMessage.parseDone(done.getFirst().header(), done.getFirst().payload()))
        .isEmpty();
  }

  @Test
  void parsesAnErrorAckWithTheKernelsMessage() {
    Message m = Message.split(fixture(ERROR_ACK)).getFirst();
    assertThat(m.header().type()).isEqualTo(NetlinkHeader.NLMSG_ERROR);
    ErrorMessage error = ErrorMessage.parse(m.header(), m.payload());
    assertThat(error.error()).isEqualTo(-101);
    assertThat(error.request()).isEqualTo(new NetlinkHeader(52, 24, REPLACE_FLAGS, 2, 0));
    assertThat(error.message()).contains("Nexthop has invalid gateway");
    NetlinkException e = error.exception().orElseThrow();
    assertThat(e.errno()).isEqualTo(101);
    assertThat(e.getMessage()).isEqualTo("Nexthop has invalid gateway (Network is unreachable)");
  }

  @Test
  void anAckIsNoError() {
    String ack =
        "24000000 0200 0001 07000000 00000000" // 36 bytes, NLMSG_ERROR, CAPPED, seq 7
            + "00000000" // error 0: acknowledged
            + "34000000 1800 0505 07000000 00000000"; // the request's header
    Message m = Message.split(fixture(ack)).getFirst();
    assertThat(ErrorMessage.parse(m.header(), m.payload()).exception()).isEmpty();
  }

  @Test
  void refusesATruncatedAttribute() {
    // IPV4_REPLACE with RTA_GATEWAY claiming 12 bytes where 8 are left.
    String truncated = IPV4_REPLACE.replace("0800 0500 c0a80902", "0c00 0500 c0a80902");
    Message m = Message.split(fixture(truncated)).getFirst();
    assertThatThrownBy(() -> RouteMessage.parse(m.payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated attribute of type 5");
  }

  @Test
  void refusesATruncatedMessage() {
    String cut = bytes(IPV4_REPLACE).substring(0, 2 * 44); // 44 of its 52 bytes
    assertThatThrownBy(() -> Message.split(fixture(cut)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated netlink message: length 52");
  }

  @Test
  void anIpv4MappedIpv6RouteStaysIpv6() {
    String mapped =
        "44000000" // 68 bytes
            + "1800 2200 01000000 00000000" // RTM_NEWROUTE, MULTI
            + "0a78 0000 feca0001 00000000" // AF_INET6 /120, main, 202, unicast
            + "1400 0100 00000000000000000000ffff0a090000" // RTA_DST ::ffff:10.9.0.0
            + "1400 0500 fd000009000000000000000000000002"; // RTA_GATEWAY fd00:9::2
    RouteMessage m = RouteMessage.parse(Message.split(fixture(mapped)).getFirst().payload());
    assertThat(m.dst().orElseThrow()).isInstanceOf(Inet6Address.class);
    Route r = NetlinkRouteTable.toRoute(m, Map.of(), Map.of()).orElseThrow();
    assertThat(r.family()).isEqualTo(IpFamily.IPV6);
    assertThat(r.dst().prefixLength()).isEqualTo(120);
    assertThat(r.dst().address().getAddress())
        .isEqualTo(HEX.parseHex("00000000000000000000ffff0a090000"));
  }

  @Test
  void aRouteWithoutAGatewayIsNotOneOfOurs() {
    RouteMessage deviceOnly =
        new RouteMessage(
            RouteMessage.AF_INET,
            24,
            254,
            202,
            253,
            RouteMessage.RTN_UNICAST,
            0,
            Optional.of(ip("10.9.1.0")),
            Optional.empty(),
            3,
            OptionalInt.empty(),
            OptionalInt.empty());
    assertThat(NetlinkRouteTable.toRoute(deviceOnly, Map.of(), Map.of())).isEmpty();
  }
}
