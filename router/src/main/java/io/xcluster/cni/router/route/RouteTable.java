package io.xcluster.cni.router.route;

import java.io.IOException;
import java.util.List;

/**
 * The kernel routes of one owner: one protocol number in one table, both IP families. The protocol
 * number is the ownership: a route of any other protocol, or in another table, is never listed,
 * replaced or deleted through this interface.
 *
 * <p>Implementations: {@code NetlinkRouteTable} (rtnetlink) and {@code InMemoryRouteTable} (tests).
 */
public interface RouteTable extends AutoCloseable {

  /** The protocol number this table owns. */
  int protocol();

  /** The routing table id (254 = main). */
  int table();

  /**
   * Every installed route of this protocol in this table, IPv4 and IPv6.
   *
   * @throws IOException when the kernel cannot be asked
   */
  List<Route> list() throws IOException;

  /**
   * Applies every operation, in order, and never stops at a failed one. Deleting a route that is
   * not there (any more) is not a failure: what was asked for, its absence, holds.
   *
   * @return the operations that failed, each with its reason; empty when all landed
   * @throws IOException when the kernel cannot be reached at all
   */
  List<RouteFailure> apply(List<RouteOp> ops) throws IOException;

  /**
   * Starts watching the kernel for changes that may undo our routes: an owned route deleted, a link
   * coming up or going down, or lost notifications. The listener is called on a background thread;
   * it should only schedule a reconcile.
   *
   * @return a handle that stops the watch when closed
   * @throws IOException when the subscription fails
   */
  AutoCloseable watch(RouteEvents listener) throws IOException;

  @Override
  void close() throws IOException;

  /** What the watcher reports. Each one means "compare again", never a change to apply as is. */
  interface RouteEvents {
    /** An owned route was deleted (by someone, or by the kernel with its link). */
    void routeDeleted(Route route);

    /** A link changed state; routes via it may need to come back. */
    void linkChanged(String device, boolean up);

    /** Notifications were lost (ENOBUFS): everything must be compared again. */
    void resyncNeeded();
  }
}
