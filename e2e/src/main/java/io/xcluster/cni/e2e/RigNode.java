package io.xcluster.cni.e2e;

import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Path;

/**
 * One node of the rig.
 *
 * @param name the Node name, {@code node-<index>}
 * @param index 1, 2, 3...: the last byte of its addresses
 * @param ns its network namespace
 * @param dir its private files (CNI bin and conf dirs, IPAM state, logs)
 */
public record RigNode(String name, int index, NetworkNamespace ns, Path dir) {

  public String eth0v4() {
    return "192.168.1." + index;
  }

  public String eth0v6() {
    return "fd00:1::" + index;
  }

  public String eth1v4() {
    return "192.168.2." + index;
  }

  public String eth1v6() {
    return "fd00:2::" + index;
  }

  /** The main network's pod CIDRs (spec.podCIDRs). */
  public String podCidrV4() {
    return "10.244." + index + ".0/24";
  }

  public String podCidrV6() {
    return "fd00:244:" + index + "::/64";
  }

  /** The secondary network's CIDRs (the cidr.example.com/net3 annotation). */
  public String net3CidrV4() {
    return "172.20." + index + ".0/24";
  }

  public String net3CidrV6() {
    return "fd00:5::" + index + ":0/112";
  }
}
