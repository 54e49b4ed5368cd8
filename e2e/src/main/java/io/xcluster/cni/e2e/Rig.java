package io.xcluster.cni.e2e;

import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A cluster on one machine: a switch namespace with two bridges (the main segment {@code br0} and a
 * secondary segment {@code br1}) and N node namespaces, each with {@code eth0} on br0 and {@code
 * eth1} on br1, IPv4 and IPv6 on both, forwarding on. Everything it makes — namespaces, processes,
 * the work directory — goes away on {@link #close()}, also when a check failed or the JVM is
 * interrupted (a shutdown hook).
 *
 * <p>Addresses (all inside namespaces the rig made): node n has {@code 192.168.1.n}/{@code
 * fd00:1::n} on eth0 and {@code 192.168.2.n}/{@code fd00:2::n} on eth1; the switch holds {@code
 * .254}/{@code ::fe} on each segment, where the fake API server listens.
 */
public final class Rig implements AutoCloseable {
  private final NetworkNamespace switchNs;
  private final List<RigNode> nodes = new ArrayList<>();
  private final List<NetworkNamespace> namespaces = Collections.synchronizedList(new ArrayList<>());
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private final Path workDir;
  private final Thread cleanup = new Thread(this::cleanUp, "rig-cleanup");
  private boolean closed;

  /**
   * Builds the switch and {@code nodeCount} nodes.
   *
   * @param switchNs the namespace the switch lives in: the caller's own namespace when the rig's
   *     driver runs inside it (so the API server it hosts is reachable from the nodes), else a new
   *     one
   */
  public Rig(NetworkNamespace switchNs, int nodeCount, Path workDir) {
    this.switchNs = switchNs;
    this.workDir = workDir;
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      Files.createDirectories(workDir);
      quietDad(switchNs);
      for (int segment = 0; segment < 2; segment++) {
        String br = "br" + segment;
        switchNs.ip("link", "add", "name", br, "type", "bridge");
        switchNs.ip("link", "set", br, "up");
        switchNs.ip("addr", "add", "192.168." + (segment + 1) + ".254/24", "dev", br);
        switchNs.ip("addr", "add", "fd00:" + (segment + 1) + "::fe/64", "dev", br, "nodad");
      }
      for (int n = 1; n <= nodeCount; n++) {
        nodes.add(addNode(n));
      }
    } catch (RuntimeException | IOException e) {
      cleanUp();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private RigNode addNode(int n) throws IOException {
    String name = "node-" + n;
    NetworkNamespace ns = track(NetworkNamespace.create("n" + n));
    quietDad(ns);
    // A node's network manager puts its IPv6 addresses back after a link flap; the rig has none,
    // so the kernel keeps them (by default it drops IPv6 addresses with the link).
    ns.exec(
        "sysctl",
        "-qw",
        "net.ipv4.ip_forward=1",
        "net.ipv6.conf.all.forwarding=1",
        "net.ipv6.conf.all.keep_addr_on_down=1",
        "net.ipv6.conf.default.keep_addr_on_down=1");
    for (int segment = 0; segment < 2; segment++) {
      String port = "n" + n + "e" + segment;
      String dev = "eth" + segment;
      switchNs.ip(
          "link", "add", "name", port, "type", "veth", "peer", "name", dev, "netns", ns.name());
      switchNs.ip("link", "set", port, "master", "br" + segment, "up");
      ns.ip("addr", "add", "192.168." + (segment + 1) + "." + n + "/24", "dev", dev);
      ns.ip("addr", "add", "fd00:" + (segment + 1) + "::" + n + "/64", "dev", dev, "nodad");
      ns.ip("link", "set", dev, "up");
    }
    Path dir = Files.createDirectories(workDir.resolve(name));
    return new RigNode(name, n, ns, dir);
  }

  /** Duplicate address detection would hold new IPv6 addresses back for a second or more. */
  private static void quietDad(NetworkNamespace ns) {
    ns.exec(
        "sysctl",
        "-qw",
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0",
        "net.ipv6.conf.all.dad_transmits=0",
        "net.ipv6.conf.default.dad_transmits=0");
  }

  public List<RigNode> nodes() {
    return List.copyOf(nodes);
  }

  public RigNode node(int n) {
    return nodes.get(n - 1);
  }

  public NetworkNamespace switchNs() {
    return switchNs;
  }

  public Path workDir() {
    return workDir;
  }

  /** A namespace the rig deletes on close. */
  public NetworkNamespace track(NetworkNamespace ns) {
    namespaces.add(ns);
    return ns;
  }

  /** A process the rig kills on close. */
  public Process track(Process p) {
    processes.add(p);
    return p;
  }

  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run: nothing left to remove.
    }
  }

  private synchronized void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (processes) {
      for (Process p : processes) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      for (Process p : processes) {
        try {
          p.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    synchronized (namespaces) {
      for (NetworkNamespace ns : namespaces.reversed()) {
        try {
          ns.close();
        } catch (RuntimeException e) {
          System.err.println("rig: " + e.getMessage());
        }
      }
    }
  }
}
