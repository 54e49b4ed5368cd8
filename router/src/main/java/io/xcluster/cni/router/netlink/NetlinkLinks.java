package io.xcluster.cni.router.netlink;

import io.xcluster.cni.annotations.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network interfaces of a namespace, read with {@code RTM_GETLINK} and {@code RTM_GETADDR}
 * dumps. For example the installer asks for the MTU of the interface that carries the node's
 * address.
 */
public final class NetlinkLinks {
  private NetlinkLinks() {}

  /** Every link of this process's network namespace, by ifindex. */
  public static List<LinkInfo> links() throws IOException {
    return links(Optional.empty());
  }

  /** Every link of the network namespace of the file {@code netns}, by ifindex. */
  public static List<LinkInfo> links(Path netns) throws IOException {
    return links(Optional.of(netns));
  }

  private static List<LinkInfo> links(Optional<Path> netns) throws IOException {
    try (NetlinkSocket socket = NetlinkSocket.open(netns)) {
      List<LinkMessage> links = dumpLinks(socket);
      List<AddressMessage> addresses = dumpAddresses(socket);
      Map<Integer, List<LinkInfo.Address>> byIndex = new HashMap<>();
      for (AddressMessage a : addresses) {
        a.address()
            .ifPresent(
                address ->
                    byIndex
                        .computeIfAbsent(a.index(), k -> new ArrayList<>())
                        .add(new LinkInfo.Address(address, Cidr.of(address, a.prefixLength()))));
      }
      return links.stream()
          .sorted((x, y) -> Integer.compare(x.index(), y.index()))
          .map(
              l ->
                  new LinkInfo(
                      l.name(),
                      l.index(),
                      l.mtu(),
                      l.up(),
                      byIndex.getOrDefault(l.index(), List.of())))
          .toList();
    }
  }

  /** Every link's header, name and MTU. */
  static List<LinkMessage> dumpLinks(NetlinkSocket socket) throws IOException {
    return socket.dump(
        (i, buf, seq) -> LinkMessage.packDumpRequest(buf, seq),
        m -> m.header().type() == LinkMessage.RTM_NEWLINK ? LinkMessage.parse(m.payload()) : null);
  }

  /** Every address of every link. */
  static List<AddressMessage> dumpAddresses(NetlinkSocket socket) throws IOException {
    return socket.dump(
        (i, buf, seq) -> AddressMessage.packDumpRequest(buf, seq),
        m ->
            m.header().type() == AddressMessage.RTM_NEWADDR
                ? AddressMessage.parse(m.payload())
                : null);
  }

  /** ifindex to name. */
  static Map<Integer, String> names(NetlinkSocket socket) throws IOException {
    Map<Integer, String> names = new HashMap<>();
    for (LinkMessage l : dumpLinks(socket)) {
      names.put(l.index(), l.name());
    }
    return names;
  }
}
