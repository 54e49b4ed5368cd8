package io.xcluster.cni.router.kube;

import io.kubernetes.client.util.KubeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The okhttp client of {@link KubeHttp#lean}: it trusts exactly the cluster's CA (so the JDK's own
 * trust store is never loaded), speaks HTTP/1.1 and has no read timeout, as a watch is idle for
 * minutes; a request that must not hang sets its own call timeout.
 */
final class LeanHttp {
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  private LeanHttp() {}

  /** A client that trusts the CA certificates in this PEM (or DER) data. */
  static OkHttpClient client(byte[] caCertificates) throws IOException {
    try {
      X509TrustManager trust = trustManager(caCertificates);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {trust}, null);
      return new OkHttpClient.Builder()
          .sslSocketFactory(tls.getSocketFactory(), trust)
          .protocols(List.of(Protocol.HTTP_1_1))
          .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .readTimeout(0, TimeUnit.SECONDS)
          .build();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the cluster's CA: " + e.getMessage(), e);
    }
  }

  /**
   * The lean requests for this kubeconfig, or null when it needs more than they offer: anything but
   * an https server with its CA and a bearer token given as {@code token} or {@code tokenFile}
   * (client certificates, basic auth, an exec plugin or auth provider, whose tokens client-java
   * renews, no CA or insecure-skip-tls-verify).
   */
  static KubeHttp forKubeconfig(KubeConfig config) throws IOException {
    HttpUrl server = config.getServer() == null ? null : HttpUrl.parse(config.getServer());
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
    Map<?, ?> user = currentUser(config);
    if (user == null || user.containsKey("exec") || user.containsKey("auth-provider")) {
      return null;
    }
    Supplier<String> token;
    if (user.get("token") instanceof String literal) {
      token = () -> literal;
    } else if (user.get("tokenFile") instanceof String file) {
      token = new TokenFile(Path.of(file));
    } else {
      return null;
    }
    byte[] ca =
        config.getDataOrFileRelative(
            config.getCertificateAuthorityData(), config.getCertificateAuthorityFile());
    return KubeHttp.lean(server, client(ca), token);
  }

  /** The {@code user} map of the current context's user, or null. */
  private static Map<?, ?> currentUser(KubeConfig config) {
    String name = null;
    for (Object c : config.getContexts() == null ? List.of() : config.getContexts()) {
      if (c instanceof Map<?, ?> context
          && String.valueOf(context.get("name")).equals(config.getCurrentContext())
          && context.get("context") instanceof Map<?, ?> body) {
        name = (String) body.get("user");
      }
    }
    for (Object u : config.getUsers() == null ? List.of() : config.getUsers()) {
      if (u instanceof Map<?, ?> entry
          && name != null
          && name.equals(entry.get("name"))
          && entry.get("user") instanceof Map<?, ?> user) {
        return user;
      }
    }
    return null;
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
}
