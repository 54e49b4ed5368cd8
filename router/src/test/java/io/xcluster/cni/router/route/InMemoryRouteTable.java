package io.xcluster.cni.router.route;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RouteTable} over an in-memory "kernel" that holds routes of every protocol and table,
 * with the kernel's rules for what one operation touches:
 *
 * <ul>
 *   <li>replace: one route per (table, destination, metric); it overwrites whatever is in that
 *       slot, whatever its protocol (as {@code NLM_F_REPLACE} does);
 *   <li>delete: only a route of our protocol and table with the same destination and metric (not
 *       matched on gateway, as NetlinkRouteTable does); anything else fails with ESRCH;
 *   <li>list: only our protocol and table.
 * </ul>
 *
 * <p>Tests can inject a failure per destination, make {@link #list} fail, see every operation that
 * was attempted, and play the kernel's part in a watch: delete a route "from outside" or report a
 * link change.
 */
public final class InMemoryRouteTable implements RouteTable {
  public static final int ESRCH = 3;
  public static final int EEXIST = 17;
  public static final int ENETUNREACH = 101;

  private final int protocol;
  private final int table;
  private final Map<Slot, Route> kernel = new HashMap<>();
  private final Map<Cidr, RouteFailure> failures = new HashMap<>();
  private final List<RouteOp> applied = new ArrayList<>();
  private final List<RouteEvents> watchers = new CopyOnWriteArrayList<>();
  private IOException listFailure;
  private int listCalls;
  private boolean closed;

  public InMemoryRouteTable(int protocol, int table) {
    this.protocol = protocol;
    this.table = table;
  }

  /** Protocol 202 in the main table. */
  public InMemoryRouteTable() {
    this(Route.DEFAULT_PROTOCOL, Route.MAIN_TABLE);
  }

  private record Slot(int table, Cidr dst, int metric) {
    static Slot of(Route r) {
      return new Slot(r.table(), r.dst(), effectiveMetric(r));
    }
  }

  private static int effectiveMetric(Route r) {
    return r.metric().orElse(r.family() == IpFamily.IPV4 ? 0 : 1024);
  }

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public int table() {
    return table;
  }

  @Override
  public synchronized List<Route> list() throws IOException {
    listCalls++;
    if (listFailure != null) {
      throw listFailure;
    }
    // In the kernel's own (unsorted) order, as a dump returns them.
    List<Route> ours = new ArrayList<>(kernel.size());
    for (Route r : kernel.values()) {
      if (r.protocol() == protocol && r.table() == table) {
        ours.add(r);
      }
    }
    return ours;
  }

  @Override
  public synchronized List<RouteFailure> apply(List<RouteOp> ops) throws IOException {
    List<RouteFailure> failed = new ArrayList<>();
    for (RouteOp op : ops) {
      applied.add(op);
      Route r = op.route();
      RouteFailure injected = failures.get(r.dst());
      if (injected != null) {
        failed.add(new RouteFailure(op, injected.errno(), injected.message()));
        continue;
      }
      if (r.protocol() != protocol || r.table() != table) {
        failed.add(new RouteFailure(op, 0, "not a route of protocol " + protocol));
        continue;
      }
      switch (op) {
        case RouteOp.Replace replace -> {
          Route present = kernel.get(Slot.of(r));
          if (present != null && present.protocol() != protocol) {
            failed.add(
                new RouteFailure(
                    op, EEXIST, "a route of another protocol has this destination and metric"));
          } else {
            kernel.put(Slot.of(r), installed(replace.route()));
            notifyAll();
          }
        }
        case RouteOp.Delete delete -> {
          // Like the netlink table: by destination, table, protocol and metric, not gateway.
          Route present = kernel.get(Slot.of(delete.route()));
          if (present == null || present.protocol() != protocol) {
            failed.add(new RouteFailure(op, ESRCH, "No such process"));
          } else {
            kernel.remove(Slot.of(r));
          }
        }
      }
    }
    return failed;
  }

  /** A kernel route always names its device and metric. */
  private static Route installed(Route r) {
    return new Route(
        r.dst(),
        r.gateway(),
        r.protocol(),
        r.table(),
        OptionalInt.of(effectiveMetric(r)),
        Optional.of(r.device().orElse("eth0")),
        r.nexthopId());
  }

  @Override
  public AutoCloseable watch(RouteEvents listener) {
    watchers.add(listener);
    return () -> watchers.remove(listener);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  // ---- the test's side ----

  /** Puts a route into the kernel as someone else would (any protocol and table). */
  public synchronized InMemoryRouteTable add(Route route) {
    kernel.put(Slot.of(route), installed(route));
    return this;
  }

  /** Every route in the kernel, of any protocol and table. */
  public synchronized List<Route> kernelRoutes() {
    return kernel.values().stream().sorted((a, b) -> a.dst().compareTo(b.dst())).toList();
  }

  /** Makes every operation on {@code dst} fail with {@code errno}. */
  public synchronized void failOn(Cidr dst, int errno, String message) {
    Route any = Route.of(dst, dst.address(), protocol, table);
    failures.put(dst, new RouteFailure(new RouteOp.Replace(any), errno, message));
  }

  /** Lets operations on {@code dst} succeed again. */
  public synchronized void heal(Cidr dst) {
    failures.remove(dst);
  }

  /** Makes {@link #list} throw until {@code null} is set again. */
  public synchronized void failList(IOException e) {
    listFailure = e;
  }

  /**
   * Waits until a route of ours to {@code dst} is in the kernel.
   *
   * @return whether it arrived in time
   */
  public synchronized boolean awaitRoute(Cidr dst, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      for (Route r : kernel.values()) {
        if (r.dst().equals(dst) && r.protocol() == protocol && r.table() == table) {
          return true;
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
  }

  /** Every operation attempted, in order. */
  public synchronized List<RouteOp> applied() {
    return List.copyOf(applied);
  }

  public synchronized void clearApplied() {
    applied.clear();
  }

  public synchronized int listCalls() {
    return listCalls;
  }

  public synchronized boolean closed() {
    return closed;
  }

  /** Deletes our route to {@code dst} "from outside" and tells the watchers. */
  public void deleteExternally(Cidr dst) {
    Route removed = null;
    synchronized (this) {
      var it = kernel.entrySet().iterator();
      while (it.hasNext()) {
        Route r = it.next().getValue();
        if (r.dst().equals(dst) && r.protocol() == protocol && r.table() == table) {
          it.remove();
          removed = r;
        }
      }
    }
    if (removed != null) {
      for (RouteEvents w : watchers) {
        w.routeDeleted(removed);
      }
    }
  }

  /** Tells the watchers a link changed state. */
  public void linkChanged(String device, boolean up) {
    for (RouteEvents w : watchers) {
      w.linkChanged(device, up);
    }
  }

  public int watcherCount() {
    return watchers.size();
  }
}
