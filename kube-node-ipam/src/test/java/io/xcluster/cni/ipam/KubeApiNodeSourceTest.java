package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xcluster.cni.annotations.NodeFields;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server source in process, against the fake API server: the lean client (https, CA, token)
 * and client-java's full {@code ApiClient} for the other kubeconfigs, both decoding the Node JSON.
 */
class KubeApiNodeSourceTest {
  static final String TOKEN = "source-test-token";

  @TempDir Path tmp;
  FakeApiServer api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  FakeApiServer start(FakeApiServer.Scheme scheme) {
    api = FakeApiServer.start(scheme, TOKEN);
    api.putNode(FakeNodes.realistic("vm-3", 3, Map.of("cidr.example.com/net3", "192.168.3.0/26")));
    api.putNode(FakeNodes.small("vm-4", 4));
    return api;
  }

  static void assertVm3(Optional<NodeFields> node) {
    assertThat(node).isPresent();
    assertThat(node.get().name()).isEqualTo("vm-3");
    assertThat(node.get().podCidrs())
        .containsExactly(FakeNodes.podCidrV4(3), FakeNodes.podCidrV6(3));
    assertThat(node.get().annotations()).containsEntry("cidr.example.com/net3", "192.168.3.0/26");
    assertThat(node.get().addresses())
        .contains(new NodeFields.Address("InternalIP", FakeNodes.internalIpv4(3)));
  }

  @Test
  void aTokenAndCaKubeconfigUsesTheLeanClient() throws IOException {
    Path kubeconfig = start(FakeApiServer.Scheme.HTTPS).writeKubeconfig(tmp.resolve("kc"));
    assertThat(KubeApiClient.open(kubeconfig.toString()).isLean()).isTrue();

    KubeApiNodeSource source = new KubeApiNodeSource(kubeconfig.toString());
    assertVm3(source.get("vm-3"));
    assertThat(source.get("vm-404")).isEmpty();
    assertThat(source.findByMachineId(machineId(3)).map(NodeFields::name)).contains("vm-3");
    assertThat(source.findByMachineId("0123")).isEmpty();
    assertThat(api.requestCount("get", "/api/v1/nodes/vm-3")).isEqualTo(1);
  }

  @Test
  void theCaAndTokenMayBeFilesNextToTheKubeconfig() throws IOException {
    start(FakeApiServer.Scheme.HTTPS);
    Files.writeString(tmp.resolve("ca.crt"), api.caPem());
    Path kubeconfig = kubeconfigWithFiles();
    assertThat(KubeApiClient.open(kubeconfig.toString()).isLean()).isTrue();
    assertVm3(new KubeApiNodeSource(kubeconfig.toString()).get("vm-3"));
  }

  @Test
  void otherKubeconfigsGoThroughClientJavasApiClient() throws IOException {
    Path kubeconfig = start(FakeApiServer.Scheme.HTTP).writeKubeconfig(tmp.resolve("kc"));
    assertThat(KubeApiClient.open(kubeconfig.toString()).isLean()).isFalse();

    KubeApiNodeSource source = new KubeApiNodeSource(kubeconfig.toString());
    assertVm3(source.get("vm-3"));
    assertThat(source.get("vm-404")).isEmpty();
    assertThat(source.findByMachineId(machineId(3)).map(NodeFields::name)).contains("vm-3");
  }

  @Test
  void aRejectedTokenIsAnIoExceptionWithTheStatus() {
    for (FakeApiServer.Scheme scheme :
        List.of(FakeApiServer.Scheme.HTTPS, FakeApiServer.Scheme.HTTP)) {
      Path kubeconfig = start(scheme).writeKubeconfig(tmp.resolve("kc"), "wrong");
      assertThatThrownBy(() -> new KubeApiNodeSource(kubeconfig.toString()).get("vm-3"))
          .as(scheme.name())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("401");
      api.close();
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsAnIoException() throws Exception {
    start(FakeApiServer.Scheme.HTTPS);
    // Some other CA: the first of the JDK's own trust store.
    KeyStore cacerts =
        KeyStore.getInstance(
            Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(),
            (char[]) null);
    Certificate other = cacerts.getCertificate(cacerts.aliases().nextElement());
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(other.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Files.writeString(tmp.resolve("ca.crt"), pem);
    Path kubeconfig = kubeconfigWithFiles();
    assertThatThrownBy(() -> new KubeApiNodeSource(kubeconfig.toString()).get("vm-3"))
        .isInstanceOf(IOException.class);
    assertThat(api.requestCount()).isZero();
  }

  @Test
  void aMissingKubeconfigIsAnIoException() {
    assertThatThrownBy(() -> new KubeApiNodeSource(tmp.resolve("none").toString()).get("vm-3"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not exist");
  }

  /** The machine-id the fake server has for this node. */
  private String machineId(int index) {
    return api.node("vm-" + index).orElseThrow().at("/status/nodeInfo/machineID").asText();
  }

  /** A kubeconfig naming ca.crt (relative) and a token file. */
  private Path kubeconfigWithFiles() throws IOException {
    Files.writeString(tmp.resolve("token"), TOKEN);
    return Files.writeString(
        tmp.resolve("kc"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "%s", certificate-authority: ca.crt}
        users:
        - name: u
          user: {tokenFile: %s}
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """
            .formatted(api.url(), tmp.resolve("token")));
  }
}
