package io.xcluster.cni.router.install;

import io.xcluster.cni.annotations.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Installs one network instance on this node: the plugins, the node-name file, the instance's
 * kubeconfig and, for the main network, the CNI conf, in that order, so that when a runtime first
 * sees the conf everything it refers to is in place. Every file is written atomically and only when
 * its content differs; other CNIs' files are never touched.
 */
public final class Installer {
  /** The MTU used when no interface carries the node's address. */
  public static final int FALLBACK_MTU = 1500;

  /** A temporary file this old was left by a writer that died (writes take milliseconds). */
  static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);

  /** What to install. */
  public record Spec(
      InstanceLayout layout,
      boolean mainNetwork,
      String nodeName,
      String networkName,
      String bridge,
      Optional<String> cidrAnnotation,
      OptionalInt mtu,
      List<InetAddress> nodeAddresses,
      Optional<Bundle> kubeNode,
      List<Path> plugins,
      boolean force) {
    public Spec {
      Objects.requireNonNull(layout, "layout");
      if (nodeName == null || nodeName.isBlank()) {
        throw new IllegalArgumentException("the node name is not set (NODE_NAME)");
      }
      nodeAddresses = List.copyOf(nodeAddresses);
      plugins = List.copyOf(plugins);
    }
  }

  /**
   * A plugin shipped as a directory.
   *
   * @param dir the bundle in the image
   * @param name the plugin name
   * @param launcher the launcher inside the bundle
   * @param version the bundle's version
   */
  public record Bundle(Path dir, String name, Path launcher, PluginVersion version) {}

  private final PluginInstaller plugins;
  private final NodeAddressSource nodes;
  private final MtuLookup mtus;
  private final Consumer<String> log;

  /**
   * @param plugins installs into the bin dir
   * @param nodes reads the node's addresses when none are given and the MTU must be found
   * @param mtus finds an interface's MTU
   * @param log receives one line per step
   */
  public Installer(
      PluginInstaller plugins, NodeAddressSource nodes, MtuLookup mtus, Consumer<String> log) {
    this.plugins = plugins;
    this.nodes = nodes;
    this.mtus = mtus;
    this.log = log;
  }

  /**
   * Runs every step; the first failure stops it with a message naming the step.
   *
   * @param kubeconfig kube-node's kubeconfig; empty when this process has no service account, and
   *     the kubeconfig is provided some other way
   */
  public void install(Spec spec, Optional<Kubeconfig> kubeconfig) throws IOException {
    if (spec.kubeNode().isPresent()) {
      Bundle b = spec.kubeNode().get();
      log.accept(
          plugins
              .installBundle(b.dir(), b.name(), b.launcher(), b.version(), spec.force())
              .toString());
    }
    for (Path p : spec.plugins()) {
      log.accept(plugins.installBinary(p, p.getFileName().toString(), spec.force()).toString());
    }

    InstanceLayout layout = spec.layout();
    Files.createDirectories(layout.ownDir());
    int stale = 0;
    for (Path dir : List.of(layout.binDir(), layout.netDir(), layout.ownDir())) {
      stale += AtomicFiles.removeStaleTemporaries(dir, STALE_TEMPORARY);
    }
    if (stale > 0) {
      log.accept("removed " + stale + " temporary file(s) a killed installer left");
    }
    report(
        layout.nodeNameFile(),
        AtomicFiles.writeIfChanged(
            layout.nodeNameFile(),
            (spec.nodeName() + "\n").getBytes(StandardCharsets.UTF_8),
            AtomicFiles.READABLE));
    if (kubeconfig.isPresent()) {
      report(
          layout.kubeconfig(),
          AtomicFiles.writeIfChanged(
              layout.kubeconfig(), kubeconfig.get().bytes(), AtomicFiles.PRIVATE));
    }

    if (!spec.mainNetwork()) {
      log.accept("secondary network: " + layout.confFile().getFileName() + " not written");
      return;
    }
    int mtu = mtu(spec);
    MainNetworkConf conf =
        new MainNetworkConf(
            spec.networkName(), spec.bridge(), mtu, layout.hostKubeconfig(), spec.cidrAnnotation());
    report(
        layout.confFile(),
        AtomicFiles.writeIfChanged(layout.confFile(), conf.bytes(), AtomicFiles.READABLE));
    for (String other : earlierConfs(layout)) {
      log.accept(
          "WARNING: "
              + other
              + " sorts before "
              + InstanceLayout.CONF_FILE
              + ": the runtime uses it for pods, not xcluster-cni");
    }
  }

  private int mtu(Spec spec) throws IOException {
    if (spec.mtu().isPresent()) {
      log.accept("MTU " + spec.mtu().getAsInt() + " (given)");
      return spec.mtu().getAsInt();
    }
    List<InetAddress> addresses =
        spec.nodeAddresses().isEmpty() ? nodes.addresses(spec.nodeName()) : spec.nodeAddresses();
    if (addresses.isEmpty()) {
      log.accept(
          "WARNING: Node "
              + spec.nodeName()
              + " has no address; MTU "
              + FALLBACK_MTU
              + " (set --mtu to choose)");
      return FALLBACK_MTU;
    }
    OptionalInt mtu = mtus.mtuFor(addresses);
    if (mtu.isEmpty()) {
      log.accept(
          "WARNING: no interface carries "
              + text(addresses)
              + "; MTU "
              + FALLBACK_MTU
              + " (set --mtu to choose)");
      return FALLBACK_MTU;
    }
    log.accept("MTU " + mtu.getAsInt() + " (of the interface carrying " + text(addresses) + ")");
    return mtu.getAsInt();
  }

  private static String text(List<InetAddress> addresses) {
    return addresses.stream().map(IpLiteral::format).toList().toString();
  }

  private void report(Path file, boolean written) {
    log.accept(file + (written ? ": written" : ": unchanged"));
  }

  /** CNI configs that a runtime would pick before ours (it takes the first in name order). */
  private static List<String> earlierConfs(InstanceLayout layout) throws IOException {
    List<String> earlier = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(layout.netDir(), "*.{conf,conflist,json}")) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (!n.startsWith(".") && n.compareTo(InstanceLayout.CONF_FILE) < 0) {
          earlier.add(n);
        }
      }
    }
    earlier.sort(null);
    return earlier;
  }
}
