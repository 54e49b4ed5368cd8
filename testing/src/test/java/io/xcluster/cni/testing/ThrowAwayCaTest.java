package io.xcluster.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThrowAwayCaTest {

  @Test
  void theCaPemIsACaCertificate() throws Exception {
    X509Certificate ca = parse(ThrowAwayCa.get().caPem());

    assertThat(ca).isEqualTo(ThrowAwayCa.get().caCertificate());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getSubjectX500Principal().getName())
        .isEqualTo("CN=xcluster-cni fake API server CA");
    ca.checkValidity();
    ca.verify(ca.getPublicKey());
  }

  @Test
  void httpsIsTrustedWithTheCaAndOnlyWithIt() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "tok")) {
      HttpRequest request =
          HttpRequest.newBuilder(server.url().resolve("/api/v1/nodes"))
              .header("Authorization", "Bearer tok")
              .build();
      HttpClient trusting =
          HttpClient.newBuilder()
              .sslContext(trusting(server.caPem()))
              .connectTimeout(Duration.ofSeconds(5))
              .build();

      HttpResponse<String> response = trusting.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      X509Certificate presented =
          (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
      assertThat(presented.getSubjectAlternativeNames())
          .containsExactlyInAnyOrder(
              List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"), List.of(2, "localhost"));
      assertThat(presented.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
      presented.verify(parse(server.caPem()).getPublicKey());

      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void theCertificateNamesTheAddressListenedOn() throws Exception {
    InetSocketAddress other = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.2"), 0);
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, null, other)) {
      assertThat(server.url().toString()).startsWith("https://127.0.0.2:");
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(server.caPem())).build();

      HttpResponse<String> response =
          trusting.send(
              HttpRequest.newBuilder(server.url().resolve("/version")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      X509Certificate presented =
          (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
      assertThat(presented.getSubjectAlternativeNames()).contains(List.of(7, "127.0.0.2"));
    }
  }

  @Test
  void ipv6UrlsHaveBrackets() throws Exception {
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.ofLiteral("::1"), 0);
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, null, v6)) {
      assertThat(server.url().toString()).startsWith("https://[0:0:0:0:0:0:0:1]:");
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(server.caPem())).build();

      assertThat(
              trusting
                  .send(
                      HttpRequest.newBuilder(server.url().resolve("/version")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static SSLContext trusting(String pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", parse(pem));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
