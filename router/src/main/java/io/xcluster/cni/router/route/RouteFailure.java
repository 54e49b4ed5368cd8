package io.xcluster.cni.router.route;

import io.xcluster.cni.annotations.IpLiteral;

/**
 * One operation the kernel refused, with the reason in words: {@code 10.9.0.0/24 via 192.168.9.9:
 * gateway not reachable on any link (Network is unreachable)}.
 *
 * @param op the operation that failed
 * @param errno the kernel's errno (positive), or 0 when the failure was not the kernel's
 * @param message what went wrong, readable, including the kernel's extended ack text if any
 */
public record RouteFailure(RouteOp op, int errno, String message) {
  @Override
  public String toString() {
    return op.route().dst() + " via " + IpLiteral.format(op.route().gateway()) + ": " + message;
  }
}
