package io.xcluster.cni.ipam;

/** The kube-node CNI IPAM plugin (placeholder until its issue lands). */
public final class KubeNodeIpamMain {
  private KubeNodeIpamMain() {}

  public static void main(String[] args) {
    System.out.println("CNI kube-node plugin (not built yet)");
  }
}
