package io.xcluster.cni.router.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

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
 * <p>{@link #connect(Path)} keeps client-java's read timeout (10 s), which suits requests; {@link
 * #connectForWatching(Path)} has none, as a watch is idle for minutes and client-java's {@code
 * SharedInformerFactory} refuses a client with a read timeout. A daemon uses one of each.
 */
public final class KubeClients {
  /** client-java's default read timeout, kept for ordinary requests. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private KubeClients() {}

  /** An API client and where its configuration came from, for a log line. */
  public record Connection(ApiClient client, String source) {}

  /**
   * The client for {@code kubeconfig} (may be null) and this process's environment.
   *
   * @throws IOException with a message a person can act on when no configuration is found or a
   *     kubeconfig cannot be read
   */
  public static Connection connect(Path kubeconfig) throws IOException {
    return connect(kubeconfig, System::getenv, DEFAULT_TOKEN, defaultHomeKubeconfig(), false);
  }

  /** Like {@link #connect(Path)}, without a read timeout: for informers and watches. */
  public static Connection connectForWatching(Path kubeconfig) throws IOException {
    return connect(kubeconfig, System::getenv, DEFAULT_TOKEN, defaultHomeKubeconfig(), true);
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
    if (kubeconfig != null) {
      return fromKubeconfig(kubeconfig, "--kubeconfig", readTimeout);
    }
    String env = getenv.apply(Config.ENV_KUBECONFIG);
    if (env != null && !env.isBlank()) {
      String first = env.split(":")[0];
      return fromKubeconfig(Path.of(first), "KUBECONFIG", readTimeout);
    }
    String host = getenv.apply(Config.ENV_SERVICE_HOST);
    if (host != null && !host.isBlank() && Files.isReadable(tokenFile)) {
      return new Connection(
          ClientBuilder.cluster().setReadTimeout(readTimeout).build(),
          "in-cluster service account");
    }
    if (Files.isReadable(homeKubeconfig)) {
      return fromKubeconfig(homeKubeconfig, "the default kubeconfig", readTimeout);
    }
    throw new IOException(
        "no Kubernetes API configured: pass --kubeconfig FILE, set KUBECONFIG, or run in a pod"
            + " with a service account");
  }

  private static Connection fromKubeconfig(Path file, String origin, Duration readTimeout)
      throws IOException {
    KubeConfig config;
    try (Reader reader = Files.newBufferedReader(file)) {
      config = KubeConfig.loadKubeConfig(reader);
    } catch (NoSuchFileException e) {
      throw new IOException("kubeconfig " + file + " (from " + origin + ") does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "cannot read kubeconfig " + file + " (from " + origin + "): " + e.getMessage(), e);
    }
    config.setFile(file.toAbsolutePath().toFile());
    if (config.getServer() == null) {
      throw new IOException(
          "kubeconfig " + file + " (from " + origin + ") has no server in its current context");
    }
    return new Connection(
        ClientBuilder.kubeconfig(config).setReadTimeout(readTimeout).build(),
        "kubeconfig " + file + " (from " + origin + ")");
  }
}
