package io.xcluster.cni.router.host;

import java.io.IOException;

/**
 * Where this host's own addresses come from. Read again before every plan, so an address added or
 * removed is seen at the next reconcile.
 *
 * <p>Implementations: {@link io.xcluster.cni.router.netlink.NetlinkLocalLinks} (the kernel's, over
 * rtnetlink); tests use a fixed {@link LocalAddresses}.
 */
@FunctionalInterface
public interface LocalLinks {
  /**
   * The current addresses of every link, up or down.
   *
   * @throws IOException when the host cannot be asked
   */
  LocalAddresses read() throws IOException;

  /** Always the same addresses. */
  static LocalLinks fixed(LocalAddresses addresses) {
    return () -> addresses;
  }
}
