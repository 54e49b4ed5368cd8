package io.xcluster.cni.router.plan;

import io.xcluster.cni.router.route.Route;

/**
 * A route the Nodes ask for, with the Node it leads to.
 *
 * @param node the Node whose pod CIDR this is
 * @param route the kernel route
 */
public record DesiredRoute(String node, Route route) {}
