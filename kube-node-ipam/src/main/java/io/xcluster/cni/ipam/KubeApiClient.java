package io.xcluster.cni.ipam;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * GET requests to the API server through client-java's layers, for the cold path.
 *
 * <p>The usual kubeconfig of a CNI plugin (an https server, its CA, a bearer token; the token may
 * also come from a token file, an exec plugin or an auth provider, as client-java's {@link
 * KubeConfig} resolves them) gets a lean client: client-java's kubeconfig parsing and okhttp, with
 * the CA in a JDK trust store. Measured on a cold ADD, this leaves out more than half of the start
 * time: {@link ApiClient} always builds client-java's {@code JSON}, whose Gson setup loads some 1
 * 500 model classes, and {@link ClientBuilder} registers BouncyCastle (a signed jar, verified when
 * loaded) and lets okhttp load the JDK's whole default trust store.
 *
 * <p>Everything else (client certificates, basic auth, no CA, insecure-skip-tls-verify, http, no
 * kubeconfig: the in-cluster or default configuration) goes through {@link ClientBuilder} and the
 * {@link ApiClient} it builds, which handle them all.
 */
final class KubeApiClient {
  private static final int TIMEOUT_MILLIS = 5_000;

  /** One answer: the HTTP status and the body. */
  record Reply(int code, String body) {}

  private final HttpUrl server;
  private final OkHttpClient lean;
  private final String token;
  private final ApiClient full;

  private KubeApiClient(HttpUrl server, OkHttpClient lean, String token, ApiClient full) {
    this.server = server;
    this.lean = lean;
    this.token = token;
    this.full = full;
  }

  /** A client for this kubeconfig, or for client-java's default configuration when null. */
  static KubeApiClient open(String kubeconfig) throws IOException {
    if (kubeconfig == null) {
      return full(ClientBuilder.standard().build());
    }
    Path path = Path.of(kubeconfig);
    try {
      KubeConfig config;
      try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        config = KubeConfig.loadKubeConfig(r);
      }
      config.setFile(path.toFile());
      KubeApiClient lean = lean(config);
      return lean != null ? lean : full(ClientBuilder.kubeconfig(config).build());
    } catch (NoSuchFileException e) {
      throw new IOException("the kubeconfig " + kubeconfig + " does not exist", e);
    } catch (RuntimeException | GeneralSecurityException e) {
      throw new IOException("cannot use kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    }
  }

  /** The lean client, or null when this kubeconfig needs more than it offers. */
  private static KubeApiClient lean(KubeConfig config)
      throws IOException, GeneralSecurityException {
    HttpUrl server = config.getServer() != null ? HttpUrl.parse(config.getServer()) : null;
    if (server == null
        || !server.isHttps()
        || !config.verifySSL()
        || config.getUsername() != null
        || config.getPassword() != null
        || config.getClientCertificateData() != null
        || config.getClientCertificateFile() != null
        || config.getClientKeyData() != null
        || config.getClientKeyFile() != null
        || (config.getCertificateAuthorityData() == null
            && config.getCertificateAuthorityFile() == null)) {
      return null;
    }
    Map<String, String> credentials = config.getCredentials();
    String token = null;
    if (credentials != null && !credentials.isEmpty()) {
      token = credentials.get(KubeConfig.CRED_TOKEN_KEY);
      if (token == null || credentials.size() != 1) {
        return null; // Client certificates from an exec plugin.
      }
    }
    byte[] ca =
        config.getDataOrFileRelative(
            config.getCertificateAuthorityData(), config.getCertificateAuthorityFile());
    X509TrustManager trust = trustManager(ca);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trust}, null);
    OkHttpClient client =
        new OkHttpClient.Builder()
            .sslSocketFactory(tls.getSocketFactory(), trust)
            // One small GET: HTTP/2 would only add classes to load.
            .protocols(List.of(Protocol.HTTP_1_1))
            .connectTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
            .readTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
            .build();
    return new KubeApiClient(server, client, token, null);
  }

  /** Trusts exactly the CA certificates in this PEM (or DER) data. */
  static X509TrustManager trustManager(byte[] caCertificates)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (Certificate c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(caCertificates))) {
      store.setCertificateEntry("ca-" + n++, c);
    }
    if (n == 0) {
      throw new GeneralSecurityException("no CA certificate in the certificate-authority data");
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager m : factory.getTrustManagers()) {
      if (m instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static KubeApiClient full(ApiClient client) {
    client.setConnectTimeout(TIMEOUT_MILLIS);
    client.setReadTimeout(TIMEOUT_MILLIS);
    return new KubeApiClient(null, null, null, client);
  }

  /** Whether this client is the lean one (for tests). */
  boolean isLean() {
    return lean != null;
  }

  /**
   * GET of the path made of these segments (each escaped), as JSON.
   *
   * @throws IOException when the server cannot be reached or does not answer
   */
  Reply get(List<String> segments) throws IOException {
    Call call;
    if (lean != null) {
      HttpUrl.Builder url = server.newBuilder();
      for (String s : segments) {
        url.addPathSegment(s);
      }
      Request.Builder request = new Request.Builder().url(url.build());
      request.header("Accept", "application/json");
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      call = lean.newCall(request.build());
    } else {
      StringBuilder path = new StringBuilder();
      for (String s : segments) {
        path.append('/').append(full.escapeString(s));
      }
      // Mutable: the authentications add their headers and parameters.
      Map<String, String> headers = new HashMap<>();
      headers.put("Accept", "application/json");
      try {
        call =
            full.buildCall(
                null,
                path.toString(),
                "GET",
                new ArrayList<>(),
                new ArrayList<>(),
                null,
                headers,
                new HashMap<>(),
                new HashMap<>(),
                new String[] {"BearerToken"},
                null);
      } catch (ApiException e) {
        throw new IOException("cannot make the request " + path + ": " + e.getMessage(), e);
      }
    }
    try (Response response = call.execute()) {
      return new Reply(response.code(), response.body().string());
    }
  }
}
