package io.xcluster.cni.router.install;

import io.xcluster.cni.annotations.IpLiteral;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The kubeconfig kube-node uses on the host: the API server, the cluster's CA, and a bearer token.
 * The cluster, user and context are all named after the network instance, so a person reading
 * {@code /etc/cni/net.d/xcluster-cni/} sees which DaemonSet wrote which file.
 *
 * @param instance the network instance
 * @param server the API server URL, e.g. {@code https://10.96.0.1:443}
 * @param caPem the cluster CA certificate(s), PEM
 * @param token the bearer token
 */
public record Kubeconfig(String instance, URI server, byte[] caPem, String token) {
  // A JWT is base64url segments joined by dots; anything else that a token file holds is refused
  // rather than written unquoted into YAML.
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]+");

  public Kubeconfig {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(caPem, "caPem");
    Objects.requireNonNull(token, "token");
    if (!"https".equals(server.getScheme()) || server.getHost() == null) {
      throw new IllegalArgumentException("API server \"" + server + "\" is not an https URL");
    }
    if (!new String(caPem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("the CA file holds no PEM certificate");
    }
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          token.isEmpty() ? "the token is empty" : "the token has characters a JWT cannot have");
    }
  }

  /**
   * The in-cluster API server from {@code KUBERNETES_SERVICE_HOST} and {@code
   * KUBERNETES_SERVICE_PORT}. IPv6 addresses get brackets; IPv4 addresses and names do not (Java's
   * URI refuses brackets around anything but IPv6).
   */
  public static URI inClusterServer(String host, String port) {
    if (host == null || host.isBlank() || port == null || port.isBlank()) {
      throw new IllegalArgumentException(
          "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; give --api-server");
    }
    String h = host.strip();
    if (h.contains(":")) {
      h = "[" + IpLiteral.format(IpLiteral.parse(h)) + "]";
    }
    return URI.create("https://" + h + ":" + Integer.parseInt(port.strip()));
  }

  /** The file's text. */
  public String render() {
    String ca = Base64.getEncoder().encodeToString(caPem);
    return """
        # kube-node's kubeconfig for the xcluster-cni network instance "%1$s".
        # Written by xcluster-cni; rewritten when the service-account token rotates.
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %1$s
          user:
            token: %4$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
        current-context: %1$s
        """
        .formatted(instance, server, ca, token);
  }

  public byte[] bytes() {
    return render().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Kubeconfig[" + instance + ", " + server + ", token redacted]";
  }
}
