package io.xcluster.cni.router;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.router.install.ImageLayout;
import io.xcluster.cni.router.install.Installer;
import io.xcluster.cni.router.install.InstanceOptions;
import io.xcluster.cni.router.install.KubeNodeAddressSource;
import io.xcluster.cni.router.install.Kubeconfig;
import io.xcluster.cni.router.install.MainNetworkConf;
import io.xcluster.cni.router.install.MtuLookup;
import io.xcluster.cni.router.install.NodeAddressSource;
import io.xcluster.cni.router.install.PluginInstaller;
import io.xcluster.cni.router.install.PluginProber;
import io.xcluster.cni.router.install.PluginVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni install}: the DaemonSet's init container. Puts kube-node (and host-local and
 * bridge where the node lacks them) into the host's CNI bin dir, writes the node-name file and this
 * instance's kubeconfig, and for the main network the CNI conf with the MTU of the node's
 * interface. Safe to run again, and concurrently with other instances: see {@link Installer}.
 */
@Command(
    name = "install",
    description =
        "Install the CNI plugins, kube-node's kubeconfig and (main network) the CNI conf on"
            + " this node. Run by the DaemonSet's init container with the host's dirs mounted"
            + " under /host.",
    mixinStandardHelpOptions = true)
final class InstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin InstanceOptions instance;

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME}",
      description = "This node's name (env NODE_NAME, from the downward API).")
  String nodeName;

  @Option(
      names = "--network-name",
      defaultValue = "${env:NETWORK_NAME:-" + MainNetworkConf.DEFAULT_NAME + "}",
      description =
          "The CNI network name in the conf (env NETWORK_NAME, default ${DEFAULT-VALUE}).")
  String networkName;

  @Option(
      names = "--bridge",
      defaultValue = "${env:BRIDGE:-" + MainNetworkConf.DEFAULT_BRIDGE + "}",
      description = "The bridge device (env BRIDGE, default ${DEFAULT-VALUE}).")
  String bridge;

  @Option(
      names = "--mtu",
      defaultValue = "${env:MTU:-0}",
      description =
          "The pods' MTU (env MTU). Default 0: the MTU of the interface that carries the"
              + " node's address.")
  int mtu;

  @Option(
      names = "--node-address",
      split = ",",
      defaultValue = "${env:NODE_ADDRESS}",
      description =
          "The node's address(es) for the MTU lookup (env NODE_ADDRESS). Default: read the"
              + " Node: the address annotation, else its InternalIPs.")
  List<String> nodeAddresses;

  @Option(
      names = "--cidr-annotation",
      defaultValue = "${env:CIDR_ANNOTATION}",
      description =
          "The Node annotation with the pod CIDRs, passed to kube-node (env CIDR_ANNOTATION).")
  String cidrAnnotation;

  @Option(
      names = "--address-annotation",
      defaultValue = "${env:ADDRESS_ANNOTATION}",
      description = "The Node annotation with the node's addresses (env ADDRESS_ANNOTATION).")
  String addressAnnotation;

  @Option(
      names = "--kube-node-bundle",
      defaultValue = "${env:KUBE_NODE_BUNDLE:-" + ImageLayout.KUBE_NODE_BUNDLE + "}",
      description =
          "kube-node's directory in the image; empty for none (default ${DEFAULT-VALUE}).")
  String kubeNodeBundle;

  @Option(
      names = "--kube-node-launcher",
      defaultValue = "bin/kube-node",
      description = "The launcher inside the bundle (default ${DEFAULT-VALUE}).")
  Path kubeNodeLauncher;

  @Option(
      names = "--plugins-dir",
      defaultValue = "${env:PLUGINS_DIR:-" + ImageLayout.PLUGINS_DIR + "}",
      description =
          "Plugin binaries (host-local, bridge) to install where the node lacks them or has"
              + " older ones; empty for none (default ${DEFAULT-VALUE}).")
  String pluginsDir;

  @Option(
      names = "--force",
      defaultValue = "${env:FORCE_INSTALL:-false}",
      description = "Install even over newer versions (env FORCE_INSTALL).")
  boolean force;

  private final Function<String, String> getenv;
  private final MtuLookup mtus;

  InstallCommand() {
    this(System::getenv, MtuLookup.system());
  }

  InstallCommand(Function<String, String> getenv, MtuLookup mtus) {
    this.getenv = getenv;
    this.mtus = mtus;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Installer.Spec s;
    try {
      s = spec();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    } catch (IOException e) {
      err.println("xcluster-cni install: " + describe(e));
      return 1;
    }
    Optional<Kubeconfig> kubeconfig = Optional.empty();
    if (Files.isDirectory(instance.serviceAccount().dir())) {
      try {
        kubeconfig =
            Optional.of(
                new Kubeconfig(
                    instance.layout().instance(),
                    instance.server(getenv),
                    instance.serviceAccount().caPem(),
                    instance.serviceAccount().token()));
      } catch (IOException | IllegalArgumentException e) {
        err.println("xcluster-cni install: cannot make kube-node's kubeconfig: " + describe(e));
        return 1;
      }
    } else {
      // Not in a pod (a static install, a test rig): kube-node's kubeconfig comes from elsewhere.
      out.println(
          "WARNING: no service account at "
              + instance.serviceAccount().dir()
              + ": kube-node's kubeconfig "
              + instance.layout().kubeconfig()
              + " not written");
    }
    NodeAddressSource nodes =
        name ->
            new KubeNodeAddressSource(inClusterClient(), optional(addressAnnotation))
                .addresses(name);
    Installer installer =
        new Installer(
            new PluginInstaller(instance.layout().binDir(), PluginProber.exec()),
            nodes,
            mtus,
            line -> {
              out.println(line);
              out.flush();
            });
    try {
      installer.install(s, kubeconfig);
    } catch (IOException | RuntimeException e) {
      err.println("xcluster-cni install: " + describe(e));
      return 1;
    }
    out.println("installed network instance " + s.layout().instance() + " on " + s.nodeName());
    return 0;
  }

  private Installer.Spec spec() throws IOException {
    List<InetAddress> addresses = new ArrayList<>();
    if (nodeAddresses != null) {
      for (String a : nodeAddresses) {
        if (!a.isBlank()) {
          addresses.add(IpLiteral.parse(a.strip()));
        }
      }
    }
    Optional<Installer.Bundle> bundle = Optional.empty();
    if (kubeNodeBundle != null && !kubeNodeBundle.isBlank()) {
      Path dir = Path.of(kubeNodeBundle);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("kube-node bundle " + dir + " is not a directory");
      }
      bundle =
          Optional.of(
              new Installer.Bundle(
                  dir,
                  "kube-node",
                  kubeNodeLauncher,
                  PluginVersion.parse(VersionCommand.version())));
    }
    List<Path> plugins = new ArrayList<>();
    if (pluginsDir != null && !pluginsDir.isBlank()) {
      Path dir = Path.of(pluginsDir);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("plugins dir " + dir + " is not a directory");
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          if (Files.isRegularFile(f) && Files.isExecutable(f)) {
            plugins.add(f);
          }
        }
      }
      plugins.sort(null);
    }
    if (mtu != 0 && (mtu < 576 || mtu > 65535)) {
      throw new IllegalArgumentException("--mtu " + mtu + " is not in 576..65535 (0: find it)");
    }
    return new Installer.Spec(
        instance.layout(),
        instance.role() == InstanceOptions.NetworkRole.MAIN,
        nodeName,
        networkName,
        bridge,
        optional(cidrAnnotation),
        mtu == 0 ? OptionalInt.empty() : OptionalInt.of(mtu),
        addresses,
        bundle,
        plugins,
        force);
  }

  /** A file error's message is often just the path; say what happened to it. */
  private static String describe(Exception e) {
    return e instanceof FileSystemException
        ? e.getClass().getSimpleName() + ": " + e.getMessage()
        : e.getMessage();
  }

  private static Optional<String> optional(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }

  private static ApiClient inClusterClient() throws IOException {
    return ClientBuilder.cluster().build();
  }
}
