package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcluster.cni.testing.FakeApiServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The fake API server over HTTPS with a bearer token, listening on the switch's address on the main
 * segment so every node reaches it. Changes are made over HTTP the way {@code kubectl annotate
 * node} and {@code kubectl delete node} make them.
 */
public final class ApiServerMode implements NodeSourceMode {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "e2e-token";

  private final FakeApiServer server;
  private final Path dir;
  private final HttpClient http;

  public ApiServerMode(Path dir) throws IOException, GeneralSecurityException {
    this.dir = dir;
    this.server =
        FakeApiServer.start(
            FakeApiServer.Scheme.HTTPS,
            TOKEN,
            new InetSocketAddress(InetAddress.getByName("192.168.1.254"), 6443));
    this.http =
        HttpClient.newBuilder()
            .sslContext(trusting(server.caPem()))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  private static SSLContext trusting(String caPem) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  @Override
  public void publish(List<ObjectNode> nodes) {
    nodes.forEach(n -> server.putNode(n.toString()));
  }

  @Override
  public void annotate(String node, String key, String value) throws IOException {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
    if (value == null) {
      annotations.putNull(key);
    } else {
      annotations.put(key, value);
    }
    send(
        HttpRequest.newBuilder(nodeUri(node))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString()))
            .header("Content-Type", "application/merge-patch+json"));
  }

  @Override
  public void remove(String node) throws IOException {
    send(HttpRequest.newBuilder(nodeUri(node)).DELETE());
  }

  private URI nodeUri(String node) {
    return URI.create(server.url() + "/api/v1/nodes/" + node);
  }

  private void send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> r =
          http.send(
              request
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException(
            r.request().method() + " " + r.uri() + ": " + r.statusCode() + " " + r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private Path kubeconfig(RigNode node) {
    Path file = dir.resolve(node.name() + ".kubeconfig");
    if (!file.toFile().exists()) {
      server.writeKubeconfig(file);
    }
    return file;
  }

  @Override
  public List<String> routerArgs(RigNode node) {
    return List.of("--kubeconfig", kubeconfig(node).toString());
  }

  @Override
  public Map<String, String> ipamFields(RigNode node, Path ignored) {
    return Map.of("kubeconfig", kubeconfig(node).toString());
  }

  @Override
  public void close() {
    server.close();
  }
}
