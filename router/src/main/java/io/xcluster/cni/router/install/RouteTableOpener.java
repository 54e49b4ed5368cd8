package io.xcluster.cni.router.install;

import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;

/** Opens the kernel's routes of one protocol in one table. */
@FunctionalInterface
public interface RouteTableOpener {
  RouteTable open(int protocol, int table) throws IOException;
}
