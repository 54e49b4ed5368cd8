/**
 * The router's kernel side: rtnetlink ({@code NETLINK_ROUTE}) over jnr-ffi, with no process ever
 * executed. The public API is {@link io.xcluster.cni.router.netlink.NetlinkRouteTable} (a {@code
 * RouteTable}), {@link io.xcluster.cni.router.netlink.NetlinkLinks} with {@link
 * io.xcluster.cni.router.netlink.LinkInfo}, and {@link
 * io.xcluster.cni.router.netlink.NetlinkException}; no jnr-ffi type appears in a signature outside
 * this package.
 *
 * <p><b>Byte order.</b> Netlink headers, message structs and numeric attributes are in the host's
 * native byte order; addresses are in network order, as raw bytes. Attributes are padded to 4
 * bytes. The message classes ({@code RouteMessage}, {@code NexthopMessage}, {@code LinkMessage},
 * {@code AddressMessage}, {@code ErrorMessage}) pack into and parse from {@link
 * java.nio.ByteBuffer}s without a socket, and are tested byte for byte against fixtures.
 *
 * <p><b>Threading.</b> A {@code NetlinkSocket} is used by one thread at a time; {@code
 * NetlinkRouteTable} serializes its calls on itself. A monitor ({@code RouteTable.watch}) reads its
 * own socket on its own platform thread and calls the listener there. To reach another network
 * namespace, a short-lived dedicated thread enters it with {@code setns(2)}, creates the socket and
 * switches back before it ends; the socket stays in that namespace, and no other thread ever
 * changes namespace.
 */
package io.xcluster.cni.router.netlink;
