package io.xcluster.cni.router.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * Builds the client-java {@link ApiClient} every command uses, choosing the configuration the way
 * kubectl and client-go do:
 *
 * <ol>
 *   <li>the kubeconfig file given on the command line ({@code --kubeconfig});
 *   <li>else the first file named in {@code KUBECONFIG} (a colon-separated list; the files are not
 *       merged);
 *   <li>else the in-cluster configuration, when running in a pod ({@code KUBERNETES_SERVICE_HOST}
 *       is set and the service account token is mounted); the token is re-read as it rotates;
 *   <li>else {@code ~/.kube/config}, when it exists.
 * </ol>
 *
 * Otherwise it fails with a message saying how to configure access; it never falls back to {@code
 * localhost:8080} as {@code ClientBuilder.standard()} does. A kubeconfig's relative certificate
 * paths resolve against its own directory; its current context is used.
 *
 * <p>{@link #connect(Path)} keeps client-java's read timeout (10 s), which suits requests. The
 * daemon's {@link #connectDaemon(Path)} lists and watches without one, as a watch is idle for
 * minutes.
 */
public final class KubeClients {
  /** client-java's default read timeout, kept for ordinary requests. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private KubeClients() {}

  /** An API client and where its configuration came from, for a log line. */
  public record Connection(ApiClient client, String source) {}

  /**
   * What the daemon talks to the API server with: {@link KubeHttp} for its own requests (a watch
   * among them, so without a read timeout), and a client-java {@link ApiClient} (with client-java's
   * read timeout), built only when first asked for, for the generated API's calls.
   *
   * @param http the daemon's own requests
   * @param api the ApiClient, made on first use
   * @param lean whether {@code http} goes straight through okhttp (else through an ApiClient)
   * @param source where the configuration came from, for a log line
   */
  public record DaemonConnection(
      KubeHttp http, Supplier<ApiClient> api, boolean lean, String source) {}

  /**
   * The daemon's connection for {@code kubeconfig} (may be null), chosen as {@link #connect(Path)}
   * chooses. An https server with its CA and a bearer token, from the kubeconfig (a {@code token}
   * or {@code tokenFile}) or the pod's service account, is served by okhttp directly; anything else
   * (client certificates, basic auth, exec plugins, auth providers, no CA, plain http) by the
   * ApiClient that client-java's {@code ClientBuilder} makes for it.
   *
   * @throws IOException as {@link #connect(Path)}
   */
  public static DaemonConnection connectDaemon(Path kubeconfig) throws IOException {
    return connectDaemon(
        kubeconfig,
        System::getenv,
        DEFAULT_TOKEN,
        Path.of(Config.SERVICEACCOUNT_CA_PATH),
        defaultHomeKubeconfig());
  }

  /** {@link #connectDaemon(Path)} with the environment and the files given. */
  static DaemonConnection connectDaemon(
      Path kubeconfig,
      Function<String, String> getenv,
      Path tokenFile,
      Path caFile,
      Path homeKubeconfig)
      throws IOException {
    Supplier<ApiClient> api =
        memoize(
            () -> {
              try {
                return connect(kubeconfig, getenv, tokenFile, homeKubeconfig, false).client();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Kubeconfig file = kubeconfigFile(kubeconfig, getenv, tokenFile, homeKubeconfig);
    if (file == null) {
      String host = getenv.apply(Config.ENV_SERVICE_HOST);
      String port = getenv.apply(Config.ENV_SERVICE_PORT);
      HttpUrl server =
          HttpUrl.parse(
              "https://"
                  + (host.contains(":") ? "[" + host + "]" : host)
                  + ":"
                  + (port == null || port.isBlank() ? "443" : port));
      if (server != null && Files.isReadable(caFile)) {
        TokenFile token = new TokenFile(tokenFile);
        token.get(); // fails now, not at the first request, when it cannot be read
        return new DaemonConnection(
            KubeHttp.lean(server, LeanHttp.client(Files.readAllBytes(caFile)), token),
            api,
            true,
            "in-cluster service account");
      }
      Connection watching = inCluster(Duration.ZERO);
      return new DaemonConnection(KubeHttp.of(watching.client()), api, false, watching.source());
    }
    KubeConfig config = readKubeconfig(file);
    KubeHttp lean = LeanHttp.forKubeconfig(config);
    if (lean != null) {
      return new DaemonConnection(lean, api, true, file.toString());
    }
    Connection watching = fromKubeconfig(file, config, Duration.ZERO);
    return new DaemonConnection(KubeHttp.of(watching.client()), api, false, watching.source());
  }

  /** A kubeconfig file and what named it. */
  private record Kubeconfig(Path path, String origin) {
    @Override
    public String toString() {
      return "kubeconfig " + path + " (from " + origin + ")";
    }
  }

  /**
   * The kubeconfig to use, in the order the class comment gives, or null for the in-cluster
   * configuration.
   */
  private static Kubeconfig kubeconfigFile(
      Path kubeconfig, Function<String, String> getenv, Path tokenFile, Path homeKubeconfig)
      throws IOException {
    if (kubeconfig != null) {
      return new Kubeconfig(kubeconfig, "--kubeconfig");
    }
    String env = getenv.apply(Config.ENV_KUBECONFIG);
    if (env != null && !env.isBlank()) {
      return new Kubeconfig(Path.of(env.split(":")[0]), "KUBECONFIG");
    }
    String host = getenv.apply(Config.ENV_SERVICE_HOST);
    if (host != null && !host.isBlank() && Files.isReadable(tokenFile)) {
      return null;
    }
    if (Files.isReadable(homeKubeconfig)) {
      return new Kubeconfig(homeKubeconfig, "the default kubeconfig");
    }
    throw new IOException(
        "no Kubernetes API configured: pass --kubeconfig FILE, set KUBECONFIG, or run in a pod"
            + " with a service account");
  }

  private static KubeConfig readKubeconfig(Kubeconfig file) throws IOException {
    KubeConfig config;
    try (Reader reader = Files.newBufferedReader(file.path())) {
      config = KubeConfig.loadKubeConfig(reader);
    } catch (NoSuchFileException e) {
      throw new IOException(file + " does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    config.setFile(file.path().toAbsolutePath().toFile());
    return config;
  }

  private static <T> Supplier<T> memoize(Supplier<T> make) {
    return new Supplier<>() {
      private T made;

      @Override
      public synchronized T get() {
        if (made == null) {
          made = make.get();
        }
        return made;
      }
    };
  }

  /**
   * The client for {@code kubeconfig} (may be null) and this process's environment.
   *
   * @throws IOException with a message a person can act on when no configuration is found or a
   *     kubeconfig cannot be read
   */
  public static Connection connect(Path kubeconfig) throws IOException {
    return connect(kubeconfig, System::getenv, DEFAULT_TOKEN, defaultHomeKubeconfig(), false);
  }

  private static final Path DEFAULT_TOKEN = Path.of(Config.SERVICEACCOUNT_TOKEN_PATH);

  private static Path defaultHomeKubeconfig() {
    return Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  /** {@link #connect(Path)} with the environment, token file and home kubeconfig given. */
  static Connection connect(
      Path kubeconfig,
      Function<String, String> getenv,
      Path tokenFile,
      Path homeKubeconfig,
      boolean watching)
      throws IOException {
    Duration readTimeout = watching ? Duration.ZERO : REQUEST_TIMEOUT;
    Kubeconfig file = kubeconfigFile(kubeconfig, getenv, tokenFile, homeKubeconfig);
    return file == null
        ? inCluster(readTimeout)
        : fromKubeconfig(file, readKubeconfig(file), readTimeout);
  }

  private static Connection inCluster(Duration readTimeout) throws IOException {
    return new Connection(
        ClientBuilder.cluster().setReadTimeout(readTimeout).build(), "in-cluster service account");
  }

  private static Connection fromKubeconfig(Kubeconfig file, KubeConfig config, Duration readTimeout)
      throws IOException {
    if (config.getServer() == null) {
      throw new IOException(file + " has no server in its current context");
    }
    return new Connection(
        ClientBuilder.kubeconfig(config).setReadTimeout(readTimeout).build(), file.toString());
  }
}
