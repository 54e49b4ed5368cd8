package io.xcluster.cni.router.plan;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the planner needs besides the Nodes: who we are and how our routes look.
 *
 * @param ownNode this host's Node name; its own CIDRs are never routed
 * @param protocol the route protocol number that marks our routes
 * @param table the routing table
 * @param metric the route metric, or the kernel's default (IPv4 0, IPv6 1024) when empty
 */
public record PlannerConfig(String ownNode, int protocol, int table, OptionalInt metric) {
  public PlannerConfig {
    Objects.requireNonNull(ownNode, "ownNode");
    Objects.requireNonNull(metric, "metric");
  }
}
