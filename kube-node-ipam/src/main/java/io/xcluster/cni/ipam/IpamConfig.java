package io.xcluster.cni.ipam;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The kube-node settings: the {@code ipam} object of the network configuration, plus the network's
 * {@code name}. Unknown members are ignored, since IPAM plugins receive the whole configuration of
 * the calling plugin.
 *
 * @param network the network's {@code name}
 * @param kubeconfig the kubeconfig for the API server, or null for the in-cluster defaults
 * @param dataDir {@code ipam.dataDir} as given, or null
 * @param annotation the Node annotation with the CIDRs, or null for {@code spec.podCIDRs}
 * @param ipv4Namespaces null when absent; else only pods in these namespaces get IPv4
 * @param logfile where to log, or null for stderr
 * @param loglevel the log level name, or null
 * @param nodeName the own Node's name, or null to look it up
 * @param nodesFile a Node list file to read instead of the API, or null
 * @param nodeNameFile where the installer writes the node name
 * @param timeoutMillis the hard limit for the whole invocation
 * @param routes {@code ipam.routes} for host-local, or null
 * @param resolvConf {@code ipam.resolvConf} for host-local, or null
 */
public record IpamConfig(
    String network,
    String kubeconfig,
    String dataDir,
    String annotation,
    List<String> ipv4Namespaces,
    String logfile,
    String loglevel,
    String nodeName,
    String nodesFile,
    Path nodeNameFile,
    long timeoutMillis,
    List<Object> routes,
    String resolvConf) {

  /** Where host-local keeps its reservations when {@code dataDir} is not set. */
  public static final String HOST_LOCAL_DEFAULT_DIR = "/var/lib/cni/networks";

  /** Where the installer writes the node's name (one line), read when NODE_NAME is not set. */
  public static final Path DEFAULT_NODE_NAME_FILE =
      Path.of("/etc/cni/net.d/xcluster-cni/node-name");

  /** The default for {@code timeoutSeconds}, as in the original. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 15_000;

  /**
   * Reads the settings.
   *
   * @throws CniException code 7 naming the member that is missing or of the wrong type
   */
  public static IpamConfig from(Map<String, Object> config) throws CniException {
    try {
      String name = Json.string(config, "name");
      if (name == null || name.isEmpty()) {
        throw new CniException(
            CniException.INVALID_CONFIG, "the network configuration has no name");
      }
      Map<String, Object> ipam = Json.object(config, "ipam");
      if (ipam == null) {
        throw new CniException(
            CniException.INVALID_CONFIG, "the network configuration has no \"ipam\" object");
      }
      String nodeNameFile = Json.string(ipam, "nodeNameFile");
      long timeout = DEFAULT_TIMEOUT_MILLIS;
      Object t = ipam.get("timeoutSeconds");
      if (t != null) {
        if (!(t instanceof BigDecimal d) || d.signum() <= 0) {
          throw new IllegalArgumentException("\"timeoutSeconds\" must be a positive number");
        }
        timeout = d.movePointRight(3).longValue();
      }
      return new IpamConfig(
          name,
          blankToNull(Json.string(ipam, "kubeconfig")),
          blankToNull(Json.string(ipam, "dataDir")),
          blankToNull(Json.string(ipam, "annotation")),
          Json.strings(ipam, "ipv4-namespaces"),
          blankToNull(Json.string(ipam, "logfile")),
          blankToNull(Json.string(ipam, "loglevel")),
          blankToNull(Json.string(ipam, "nodeName")),
          blankToNull(Json.string(ipam, "nodesFile")),
          nodeNameFile == null || nodeNameFile.isBlank()
              ? DEFAULT_NODE_NAME_FILE
              : Path.of(nodeNameFile),
          timeout,
          Json.array(ipam, "routes"),
          blankToNull(Json.string(ipam, "resolvConf")));
    } catch (IllegalArgumentException e) {
      throw new CniException(
          CniException.INVALID_CONFIG, "invalid ipam configuration", e.getMessage());
    }
  }

  /**
   * The directory of kube-node's cache: {@code dataDir}, else host-local's default directory for
   * this network, as in the original.
   */
  public Path cacheDir() {
    return dataDir != null ? Path.of(dataDir) : Path.of(HOST_LOCAL_DEFAULT_DIR, network);
  }

  /** The directory where host-local keeps this network's reservations. */
  public Path reservationDir() {
    return Path.of(dataDir != null ? dataDir : HOST_LOCAL_DEFAULT_DIR, network);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
