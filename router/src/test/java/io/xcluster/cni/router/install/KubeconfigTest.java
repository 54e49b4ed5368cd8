package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.util.KubeConfig;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubeconfigTest {
  private static final byte[] CA = InstallFixtures.CA.getBytes(StandardCharsets.US_ASCII);

  @Test
  void rendersAKubeconfigThatClientJavaReads() {
    String token = InstallFixtures.token("system:serviceaccount:kube-system:xcluster-cni");
    Kubeconfig k = new Kubeconfig("xcluster-net3", URI.create("https://[fd00::1]:6443"), CA, token);

    KubeConfig parsed = KubeConfig.loadKubeConfig(new StringReader(k.render()));

    assertThat(parsed.getCurrentContext()).isEqualTo("xcluster-net3");
    assertThat(parsed.getServer()).isEqualTo("https://[fd00::1]:6443");
    assertThat(Base64.getDecoder().decode(parsed.getCertificateAuthorityData())).isEqualTo(CA);
    assertThat(parsed.getCredentials()).containsEntry(KubeConfig.CRED_TOKEN_KEY, token);
    assertThat(k.toString()).doesNotContain(token);
  }

  @ParameterizedTest
  @CsvSource({
    "10.96.0.1, 443, https://10.96.0.1:443",
    "fd00:96::0001, 443, https://[fd00:96::1]:443",
    "kubernetes.default.svc, 6443, https://kubernetes.default.svc:6443",
  })
  void inClusterServerBracketsOnlyIpv6(String host, String port, String url) {
    assertThat(Kubeconfig.inClusterServer(host, port)).hasToString(url);
  }

  @Test
  void inClusterServerWithoutTheEnvironmentSaysWhatToSet() {
    assertThatThrownBy(() -> Kubeconfig.inClusterServer(null, "443"))
        .hasMessageContaining("KUBERNETES_SERVICE_HOST")
        .hasMessageContaining("--api-server");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "tok\nen: x", "\"quoted\""})
  void tokensThatCouldBreakTheYamlAreRefused(String token) {
    assertThatThrownBy(() -> new Kubeconfig("x", URI.create("https://10.96.0.1:443"), CA, token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token");
  }

  @Test
  void aCaFileWithoutACertificateAndAPlainHttpServerAreRefused() {
    String token = InstallFixtures.token("x");
    assertThatThrownBy(
            () -> new Kubeconfig("x", URI.create("https://10.96.0.1:443"), new byte[0], token))
        .hasMessageContaining("CA");
    assertThatThrownBy(() -> new Kubeconfig("x", URI.create("http://10.96.0.1:80"), CA, token))
        .hasMessageContaining("https");
  }
}
