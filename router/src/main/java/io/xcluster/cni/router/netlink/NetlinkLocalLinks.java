package io.xcluster.cni.router.netlink;

import io.xcluster.cni.router.host.LinkAddress;
import io.xcluster.cni.router.host.LocalAddresses;
import io.xcluster.cni.router.host.LocalLinks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The addresses of every link, up or down, from the kernel ({@code RTM_GETLINK} and {@code
 * RTM_GETADDR} dumps): of this process's network namespace, or of the one a file names. Replaces
 * the JDK's {@code NetworkInterface} listing, which asks the kernel once per interface and costs
 * several milliseconds on every reconcile.
 */
public final class NetlinkLocalLinks implements LocalLinks {
  private final Optional<Path> netns;

  /** This process's network namespace. */
  public NetlinkLocalLinks() {
    this.netns = Optional.empty();
  }

  /** The network namespace of the file {@code netns}, e.g. {@code /run/netns/NAME}. */
  public NetlinkLocalLinks(Path netns) {
    this.netns = Optional.of(netns);
  }

  @Override
  public LocalAddresses read() throws IOException {
    List<LinkAddress> addresses = new ArrayList<>();
    for (LinkInfo link :
        netns.isPresent() ? NetlinkLinks.links(netns.get()) : NetlinkLinks.links()) {
      for (LinkInfo.Address a : link.addresses()) {
        addresses.add(new LinkAddress(link.name(), a.address(), a.prefix().prefixLength()));
      }
    }
    return new LocalAddresses(addresses);
  }
}
