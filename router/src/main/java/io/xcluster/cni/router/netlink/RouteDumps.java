package io.xcluster.cni.router.netlink;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Route dumps, filtered by the kernel where it can and always again here. */
final class RouteDumps {
  private RouteDumps() {}

  /**
   * The routes of one family in {@code table} (0: every table) of {@code protocol} (0: every
   * protocol). A table that does not exist has no routes.
   */
  static List<RouteMessage> dump(NetlinkSocket socket, int family, int table, int protocol)
      throws IOException {
    RouteMessage request =
        new RouteMessage(
            family,
            0,
            table,
            protocol,
            RouteMessage.RT_SCOPE_UNIVERSE,
            RouteMessage.RTN_UNSPEC,
            0,
            Optional.empty(),
            Optional.empty(),
            0,
            OptionalInt.empty(),
            OptionalInt.empty());
    try {
      return socket.dump(
          (i, buf, seq) ->
              request.pack(
                  buf,
                  RouteMessage.RTM_GETROUTE,
                  NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP,
                  seq),
          m -> {
            if (m.header().type() != RouteMessage.RTM_NEWROUTE) {
              return null;
            }
            RouteMessage r = RouteMessage.parse(m.payload());
            boolean wanted =
                r.family() == family
                    && (table == 0 || r.table() == table)
                    && (protocol == 0 || r.protocol() == protocol);
            return wanted ? r : null;
          });
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENOENT) {
        return List.of(); // the table does not exist (yet)
      }
      throw e;
    }
  }
}
