package io.xcluster.cni.router.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * This host's addresses as {@link NetworkInterface} reports them. It needs no privileges and no
 * process; the netlink link listing can replace it where that is already open.
 */
public final class JdkLocalLinks implements LocalLinks {
  @Override
  public LocalAddresses read() throws IOException {
    List<LinkAddress> links = new ArrayList<>();
    try {
      Iterator<NetworkInterface> it = NetworkInterface.networkInterfaces().iterator();
      while (it.hasNext()) {
        NetworkInterface nic = it.next();
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
          InetAddress address = ia.getAddress();
          if (address == null || ia.getNetworkPrefixLength() < 0) {
            continue;
          }
          // Drop the IPv6 scope id: addresses from Node objects never carry one.
          InetAddress plain = InetAddress.getByAddress(address.getAddress());
          links.add(new LinkAddress(nic.getName(), plain, ia.getNetworkPrefixLength()));
        }
      }
    } catch (SocketException e) {
      throw new IOException("cannot list this host's network interfaces: " + e.getMessage(), e);
    }
    return new LocalAddresses(links);
  }
}
