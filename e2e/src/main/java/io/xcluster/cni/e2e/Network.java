package io.xcluster.cni.e2e;

import java.util.List;

/**
 * One routed network as the rig runs it: the main one (spec fields, protocol 202, bridge cbr0) or
 * the secondary net3 (annotations, protocol 210, bridge br3, eth1 next hops).
 *
 * @param name the CNI network name
 * @param protocol the router instance's route protocol
 * @param metricsPort where the router serves /healthz, /readyz and /metrics
 * @param routerFlags the router's flags that select the network
 */
public record Network(String name, int protocol, int metricsPort, List<String> routerFlags) {

  public static final Network MAIN = new Network("xcluster", 202, 9202, List.of());

  public static final Network NET3 =
      new Network(
          "net3",
          210,
          9210,
          List.of(
              "--cidr-annotation",
              NodeObjects.NET3_CIDR,
              "--address-annotation",
              NodeObjects.NET3_ADDRESS));

  /** The peer routes this node should have for {@code peer}: {@code dst via gateway}. */
  public List<String> expectedRoutes(RigNode peer) {
    return this == MAIN
        ? List.of(
            peer.podCidrV4() + " via " + peer.eth0v4(), peer.podCidrV6() + " via " + peer.eth0v6())
        : List.of(
            peer.net3CidrV4() + " via " + peer.eth1v4(),
            peer.net3CidrV6() + " via " + peer.eth1v6());
  }
}
