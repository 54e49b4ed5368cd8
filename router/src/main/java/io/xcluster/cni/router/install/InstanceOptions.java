package io.xcluster.cni.router.install;

import io.xcluster.cni.router.kube.KubeHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
      names = "--cni-conf-dir",
      defaultValue = "${env:CNI_CONF_DIR:-/host" + InstanceLayout.DEFAULT_HOST_NET_DIR + "}",
      description = "The host's CNI conf dir as mounted here (default ${DEFAULT-VALUE}).")
  Path netDir;

  @Option(
      names = "--host-cni-conf-dir",
      defaultValue = "${env:HOST_CNI_CONF_DIR:-" + InstanceLayout.DEFAULT_HOST_NET_DIR + "}",
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

  @Option(
      names = "--token-source",
      defaultValue = "${env:TOKEN_SOURCE:-projected}",
      converter = TokenSourceKind.Converter.class,
      description =
          "Where kube-node's token comes from (env TOKEN_SOURCE): projected, the pod's own token"
              + " rewritten on rotation; or token-request, 24 h tokens for the pod's service"
              + " account, which outlive the pod (needs create on serviceaccounts/token).")
  TokenSourceKind tokenSource;

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

  /**
   * The refresher the daemon runs for this instance's kubeconfig (not started), or empty when this
   * process has no service account (not in a pod: then, as for {@code install}, the kubeconfig is
   * provided some other way).
   *
   * @param getenv the environment (for the in-cluster API server)
   * @param http the daemon's requests to the API server, used for TokenRequest
   * @throws IOException when the service account cannot be identified (TokenRequest)
   */
  public Optional<TokenRefresher> tokenRefresher(Function<String, String> getenv, KubeHttp http)
      throws IOException {
    ServiceAccountFiles sa = serviceAccount();
    if (!Files.isDirectory(sa.dir())) {
      return Optional.empty();
    }
    TokenSource source =
        switch (tokenSource) {
          case PROJECTED -> TokenSource.projected(sa, TokenRefresher.DEFAULT_PERIOD);
          case TOKEN_REQUEST -> {
            String[] id = sa.identity();
            yield new TokenRequestSource(
                http, id[0], id[1], TokenRequestSource.DEFAULT_VALIDITY, Duration.ofMinutes(1));
          }
        };
    return Optional.of(
        new TokenRefresher(
            source,
            sa,
            layout(),
            server(getenv),
            TokenRefresher.DEFAULT_PERIOD,
            TokenRefresher.DEFAULT_RETRY));
  }

  /** Where the kubeconfig's token comes from. */
  public enum TokenSourceKind {
    /** The pod's projected token, rewritten when the kubelet rotates it. */
    PROJECTED,
    /** TokenRequest tokens for the pod's service account, 24 h, renewed early. */
    TOKEN_REQUEST;

    /** Accepts projected / token-request in any case. */
    public static final class Converter implements CommandLine.ITypeConverter<TokenSourceKind> {
      @Override
      public TokenSourceKind convert(String value) {
        for (TokenSourceKind k : values()) {
          if (k.name().replace('_', '-').equalsIgnoreCase(value.strip())) {
            return k;
          }
        }
        throw new CommandLine.TypeConversionException(
            "\"" + value + "\" is not a token source: use projected or token-request");
      }
    }
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
