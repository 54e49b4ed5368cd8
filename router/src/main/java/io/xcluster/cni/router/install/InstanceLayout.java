package io.xcluster.cni.router.install;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where one network instance's files live on the host. Every instance (the main network, each
 * secondary network) has its own kubeconfig, named after the instance, so instances never overwrite
 * each other's credentials. Our files other than the CNI conf live in a subdirectory of the CNI
 * conf dir, which container runtimes do not scan for network configs.
 *
 * <pre>
 * /etc/cni/net.d/10-xcluster-cni.conf                 main network only
 * /etc/cni/net.d/xcluster-cni/&lt;instance&gt;.kubeconfig  one per instance, mode 0600
 * /etc/cni/net.d/xcluster-cni/node-name               this node's name, for kube-node
 * </pre>
 *
 * @param binDir the CNI bin dir as this process sees it (e.g. /host/opt/cni/bin)
 * @param netDir the CNI conf dir as this process sees it (e.g. /host/etc/cni/net.d)
 * @param hostNetDir the CNI conf dir as the host sees it: paths written into files use it
 * @param instance the network instance's name, a DNS label
 */
public record InstanceLayout(Path binDir, Path netDir, Path hostNetDir, String instance) {
  /** The host's CNI bin dir, where runtimes look for plugins. */
  public static final String DEFAULT_HOST_BIN_DIR = "/opt/cni/bin";

  /** The host's CNI conf dir. */
  public static final String DEFAULT_HOST_NET_DIR = "/etc/cni/net.d";

  /** Our subdirectory of the CNI conf dir. */
  public static final String OWN_DIR = "xcluster-cni";

  /** The main network's CNI conf file name. */
  public static final String CONF_FILE = "10-xcluster-cni.conf";

  /** The file, in {@link #OWN_DIR}, that holds this node's name for kube-node. */
  public static final String NODE_NAME_FILE = "node-name";

  /**
   * Where kube-node reads the node name on the host. The one place this path is defined on the
   * router's side; kube-node's own constant must agree (the manifests test checks it is under the
   * mounted conf dir).
   */
  public static final String HOST_NODE_NAME_FILE =
      DEFAULT_HOST_NET_DIR + "/" + OWN_DIR + "/" + NODE_NAME_FILE;

  /** The main network's instance name, which is also the DaemonSet's name. */
  public static final String DEFAULT_INSTANCE = "xcluster-cni";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public InstanceLayout {
    Objects.requireNonNull(binDir, "binDir");
    Objects.requireNonNull(netDir, "netDir");
    Objects.requireNonNull(hostNetDir, "hostNetDir");
    if (instance == null || !DNS_LABEL.matcher(instance).matches()) {
      throw new IllegalArgumentException(
          "instance name \""
              + instance
              + "\" must be a DNS label: lower-case letters, digits and '-', at most 63");
    }
  }

  /** Our directory under the CNI conf dir. */
  public Path ownDir() {
    return netDir.resolve(OWN_DIR);
  }

  /** This instance's kubeconfig, as this process sees it. */
  public Path kubeconfig() {
    return ownDir().resolve(kubeconfigName());
  }

  /** This instance's kubeconfig as the host (and so kube-node) sees it. */
  public Path hostKubeconfig() {
    return hostNetDir.resolve(OWN_DIR).resolve(kubeconfigName());
  }

  public String kubeconfigName() {
    return instance + ".kubeconfig";
  }

  public Path nodeNameFile() {
    return ownDir().resolve(NODE_NAME_FILE);
  }

  /** The main network's CNI conf. */
  public Path confFile() {
    return netDir.resolve(CONF_FILE);
  }
}
