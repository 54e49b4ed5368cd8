package io.xcluster.cni.router.install;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that name one network instance and where its files go, shared by {@code install},
 * {@code uninstall} and {@code daemon} (whose token refresher rewrites the instance's kubeconfig),
 * so the three always agree. Defaults are for a container with the host's directories under {@code
 * /host}.
 */
public final class InstanceOptions {
  /** The environment variables these options read; the manifests test checks them. */
  public static final String ENV_INSTANCE = "INSTANCE";

  public static final String ENV_NETWORK_ROLE = "NETWORK_ROLE";

  @Option(
      names = "--instance",
      defaultValue = "${env:INSTANCE:-" + InstanceLayout.DEFAULT_INSTANCE + "}",
      description =
          "This network instance's name (env INSTANCE, default ${DEFAULT-VALUE}): names its"
              + " kubeconfig, so instances never overwrite each other's. Use the DaemonSet's"
              + " name.")
  String instance;

  @Option(
      names = "--network-role",
      defaultValue = "${env:NETWORK_ROLE:-main}",
      converter = NetworkRole.Converter.class,
      description =
          "main: the pod network, with "
              + InstanceLayout.CONF_FILE
              + "; secondary: a Multus network whose config is a NetworkAttachmentDefinition"
              + " (env NETWORK_ROLE, default main).")
  NetworkRole role;

  @Option(
      names = "--cni-bin-dir",
      defaultValue = "${env:CNI_BIN_DIR:-/host" + InstanceLayout.DEFAULT_HOST_BIN_DIR + "}",
      description = "The host's CNI bin dir as mounted here (default ${DEFAULT-VALUE}).")
  Path binDir;

  @Option(
      names = "--cni-net-dir",
      defaultValue = "${env:CNI_NET_DIR:-/host" + InstanceLayout.DEFAULT_HOST_NET_DIR + "}",
      description = "The host's CNI conf dir as mounted here (default ${DEFAULT-VALUE}).")
  Path netDir;

  @Option(
      names = "--host-cni-net-dir",
      defaultValue = "${env:HOST_CNI_NET_DIR:-" + InstanceLayout.DEFAULT_HOST_NET_DIR + "}",
      description =
          "The same dir as the host sees it, for paths in files (default ${DEFAULT-VALUE}).")
  Path hostNetDir;

  @Option(
      names = "--service-account-dir",
      defaultValue = ServiceAccountFiles.DEFAULT_DIR,
      description = "The pod's service-account token and CA (default ${DEFAULT-VALUE}).")
  Path serviceAccountDir;

  @Option(
      names = "--api-server",
      defaultValue = "${env:API_SERVER}",
      description =
          "The API server URL kube-node uses (env API_SERVER). Default: the in-cluster service"
              + " from KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT.")
  URI apiServer;

  /** Where this instance's files go. */
  public InstanceLayout layout() {
    return new InstanceLayout(binDir, netDir, hostNetDir, instance);
  }

  public NetworkRole role() {
    return role;
  }

  public ServiceAccountFiles serviceAccount() {
    return new ServiceAccountFiles(serviceAccountDir);
  }

  /** The API server for kube-node's kubeconfig. */
  public URI server(Function<String, String> getenv) {
    return apiServer != null
        ? apiServer
        : Kubeconfig.inClusterServer(
            getenv.apply("KUBERNETES_SERVICE_HOST"), getenv.apply("KUBERNETES_SERVICE_PORT"));
  }

  /** The refresher the daemon runs for this instance's kubeconfig. */
  public TokenRefresher tokenRefresher(Function<String, String> getenv, Duration period) {
    return new TokenRefresher(serviceAccount(), layout(), server(getenv), period);
  }

  /** Which kind of network an instance serves. */
  public enum NetworkRole {
    MAIN,
    SECONDARY;

    /** Accepts main/secondary in any case. */
    public static final class Converter implements CommandLine.ITypeConverter<NetworkRole> {
      @Override
      public NetworkRole convert(String value) {
        for (NetworkRole r : values()) {
          if (r.name().equalsIgnoreCase(value.strip())) {
            return r;
          }
        }
        throw new CommandLine.TypeConversionException(
            "\"" + value + "\" is not a network role: use main or secondary");
      }
    }
  }
}
