package io.xcluster.cni.router.install;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

/**
 * The MTU of the interface that carries the node's address: the pods' packets to other nodes leave
 * through it, so the bridge and the pods must not use a larger one (kube-router #165: a bridge at
 * 1500 on 9001 hosts; the reverse breaks traffic).
 *
 * <p>An interface that holds one of the addresses wins; failing that, one whose subnet contains it
 * (the original's rule). Loopback never counts: a node address on lo would give 65536 (kube-router
 * #1383).
 */
@FunctionalInterface
public interface MtuLookup {

  /** The MTU for the first node address that an interface carries, or empty. */
  OptionalInt mtuFor(List<InetAddress> nodeAddresses) throws SocketException;

  /** This network namespace's interfaces, read through {@link NetworkInterface}. */
  static MtuLookup system() {
    return addresses -> {
      List<NetworkInterface> links = new ArrayList<>();
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isLoopback()) {
          links.add(ni);
        }
      }
      for (InetAddress a : addresses) {
        for (NetworkInterface ni : links) {
          for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
            if (sameAddress(ia.getAddress(), a)) {
              return OptionalInt.of(ni.getMTU());
            }
          }
        }
      }
      for (InetAddress a : addresses) {
        for (NetworkInterface ni : links) {
          for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
            if (contains(ia, a)) {
              return OptionalInt.of(ni.getMTU());
            }
          }
        }
      }
      return OptionalInt.empty();
    };
  }

  private static boolean sameAddress(InetAddress onLink, InetAddress node) {
    // Link-local IPv6 addresses carry a scope id; compare the bytes only.
    return Arrays.equals(onLink.getAddress(), node.getAddress());
  }

  private static boolean contains(InterfaceAddress ia, InetAddress a) {
    byte[] net = ia.getAddress().getAddress();
    byte[] x = a.getAddress();
    int bits = ia.getNetworkPrefixLength();
    if (net.length != x.length || bits <= 0 || bits > net.length * 8) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((net[i / 8] & mask) != (x[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
