package io.xcluster.cni.router.netlink;

import io.xcluster.cni.router.route.Route;
import io.xcluster.cni.router.route.RouteTable.RouteEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the kernel for what undoes our routes: an owned route deleted, a link going down or
 * coming up (IPv4 drops routes with their link without a notification per route), an owned nexthop
 * object deleted, and lost notifications ({@code ENOBUFS}, reported as {@code resyncNeeded}, never
 * a crash).
 *
 * <p>One platform thread per monitor reads a socket subscribed to {@code RTNLGRP_LINK}, the IPv4
 * and IPv6 address groups (an address added is reported as a change of its link), {@code
 * RTNLGRP_IPV4_ROUTE}, {@code RTNLGRP_IPV6_ROUTE} and {@code RTNLGRP_NEXTHOP}, and calls the
 * listener on that thread. A listener that throws is logged and the watch goes on.
 */
final class RouteMonitor implements AutoCloseable {
  static final int RTNLGRP_LINK = 1;
  static final int RTNLGRP_IPV4_IFADDR = 5;
  static final int RTNLGRP_IPV6_IFADDR = 9;
  static final int RTNLGRP_IPV4_ROUTE = 7;
  static final int RTNLGRP_IPV6_ROUTE = 11;
  static final int RTNLGRP_NEXTHOP = 32;

  /** How often the reading thread checks whether it was closed. */
  private static final int POLL_MILLIS = 200;

  private static final Logger log = LoggerFactory.getLogger(RouteMonitor.class);

  private final NetlinkRouteTable owner;
  private final NetlinkSocket socket;
  private final RouteEvents listener;
  private final Map<Integer, LinkMessage> links = new HashMap<>();
  private final Map<Integer, NexthopMessage> nexthops = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  private RouteMonitor(NetlinkRouteTable owner, NetlinkSocket socket, RouteEvents listener) {
    this.owner = owner;
    this.socket = socket;
    this.listener = listener;
    this.thread =
        Thread.ofPlatform().name("route-monitor-" + owner.protocol()).daemon().unstarted(this::run);
  }

  /** Subscribes, reads the current links and nexthop objects, and starts the reading thread. */
  static RouteMonitor start(NetlinkRouteTable owner, Optional<Path> netns, RouteEvents listener)
      throws IOException {
    NetlinkSocket socket = NetlinkSocket.open(netns);
    try {
      socket.subscribe(
          RTNLGRP_LINK,
          RTNLGRP_IPV4_IFADDR,
          RTNLGRP_IPV6_IFADDR,
          RTNLGRP_IPV4_ROUTE,
          RTNLGRP_IPV6_ROUTE);
      try {
        socket.subscribe(RTNLGRP_NEXTHOP);
      } catch (NetlinkException e) {
        log.debug("no nexthop notifications on this kernel: {}", e.getMessage());
      }
      socket.receiveTimeout(POLL_MILLIS);
      RouteMonitor monitor = new RouteMonitor(owner, socket, listener);
      // The current state comes through a second socket: the subscribed one holds notifications.
      try (NetlinkSocket snapshot = NetlinkSocket.open(netns)) {
        NetlinkLinks.dumpLinks(snapshot).forEach(l -> monitor.links.put(l.index(), l));
        monitor.nexthops.putAll(Nexthops.byId(Nexthops.dump(snapshot)));
      }
      monitor.thread.start();
      return monitor;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void run() {
    while (!closed) {
      try {
        for (Message m : Message.split(socket.receive())) {
          handle(m);
        }
      } catch (NetlinkException e) {
        if (closed) {
          return;
        }
        if (e.errno() == Errno.ENOBUFS) {
          log.info("route notifications were lost (receive buffer full); resyncing");
        } else {
          log.warn("route monitor: {}; resyncing", e.getMessage());
          pause();
        }
        notify(listener::resyncNeeded);
      } catch (RuntimeException e) {
        log.warn("route monitor: cannot read a notification; resyncing", e);
        notify(listener::resyncNeeded);
      }
    }
  }

  private void handle(Message m) {
    switch (m.header().type()) {
      case LinkMessage.RTM_NEWLINK -> {
        LinkMessage now = LinkMessage.parse(m.payload());
        LinkMessage before = links.put(now.index(), now);
        if (before == null || before.up() != now.up()) {
          notify(() -> listener.linkChanged(now.name(), now.up()));
        }
      }
      case LinkMessage.RTM_DELLINK -> {
        LinkMessage gone = LinkMessage.parse(m.payload());
        links.remove(gone.index());
        notify(() -> listener.linkChanged(gone.name(), false));
      }
      case AddressMessage.RTM_NEWADDR -> {
        // An address (back) on a link: next hops in its subnet are reachable again. IPv6
        // addresses leave with the link and come back later than the link does.
        AddressMessage a = AddressMessage.parse(m.payload());
        LinkMessage link = links.get(a.index());
        if (link != null) {
          notify(() -> listener.linkChanged(link.name(), link.up()));
        }
      }
      case RouteMessage.RTM_DELROUTE -> {
        RouteMessage r = RouteMessage.parse(m.payload());
        if (owner.owns(r)) {
          Map<Integer, String> names = new HashMap<>();
          links.forEach((index, l) -> names.put(index, l.name()));
          Optional<Route> route = NetlinkRouteTable.toRoute(r, names, nexthops);
          if (route.isPresent()) {
            notify(() -> listener.routeDeleted(route.get()));
          } else {
            notify(listener::resyncNeeded);
          }
        }
      }
      case NexthopMessage.RTM_NEWNEXTHOP -> {
        NexthopMessage nh = NexthopMessage.parse(m.payload());
        nexthops.put(nh.id(), nh);
      }
      case NexthopMessage.RTM_DELNEXTHOP -> {
        NexthopMessage nh = NexthopMessage.parse(m.payload());
        nexthops.remove(nh.id());
        if (nh.protocol() == owner.protocol()) {
          // Routes that used it went with it, without a notification each.
          notify(listener::resyncNeeded);
        }
      }
      default -> {}
    }
  }

  private void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("route event listener failed", e);
    }
  }

  private void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops the thread (within {@value #POLL_MILLIS} ms) and closes the socket. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(10L * POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }
}
