package io.xcluster.cni.router.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.xcluster.cni.testing.FakeApiServer;
import io.xcluster.cni.testing.FakeNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link KubeClients} takes its configuration from, in order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubeClientsTest {
  @TempDir Path dir;

  @Test
  void theFlagWinsOverKubeconfigAndHome() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTP, "t")) {
      server.putNode(FakeNodes.small("n1", 1));
      Path flag = server.writeKubeconfig(dir.resolve("flag"));
      Path home = Files.writeString(dir.resolve("home"), "not: [a kubeconfig");

      KubeClients.Connection c =
          KubeClients.connect(
              flag, env(Map.of("KUBECONFIG", "/absent")), dir.resolve("no-token"), home, false);

      assertThat(c.source()).isEqualTo("kubeconfig " + flag + " (from --kubeconfig)");
      assertThat(new CoreV1Api(c.client()).readNode("n1").execute().getMetadata().getName())
          .isEqualTo("n1");
    }
  }

  @Test
  void kubeconfigEnvTakesTheFirstFile() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      Path file = server.writeKubeconfig(dir.resolve("first"));

      KubeClients.Connection c =
          KubeClients.connect(
              null,
              env(Map.of("KUBECONFIG", file + ":/absent")),
              dir.resolve("no-token"),
              dir.resolve("no-home"),
              true);

      assertThat(c.source()).isEqualTo("kubeconfig " + file + " (from KUBECONFIG)");
      assertThat(c.client().getBasePath()).isEqualTo(server.url().toString());
      assertThat(c.client().getReadTimeout()).isZero();
    }
  }

  @Test
  void theHomeKubeconfigIsTheLastResort() throws Exception {
    try (FakeApiServer server = FakeApiServer.start()) {
      Path home = server.writeKubeconfig(dir.resolve("config"));

      KubeClients.Connection c =
          KubeClients.connect(null, env(Map.of()), dir.resolve("no-token"), home, false);

      assertThat(c.source()).isEqualTo("kubeconfig " + home + " (from the default kubeconfig)");
      assertThat(c.client().getReadTimeout()).isEqualTo(10_000);
    }
  }

  @Test
  void nothingConfiguredIsAClearError() {
    assertThatThrownBy(
            () ->
                KubeClients.connect(
                    null,
                    env(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")),
                    dir.resolve("no-token"),
                    dir.resolve("no-home"),
                    false))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "no Kubernetes API configured: pass --kubeconfig FILE, set KUBECONFIG, or run in a"
                + " pod with a service account");
    assertThatThrownBy(
            () ->
                KubeClients.connect(
                    dir.resolve("absent"), env(Map.of()), dir, dir.resolve("no-home"), false))
        .hasMessage("kubeconfig " + dir.resolve("absent") + " (from --kubeconfig) does not exist");
  }

  @Test
  void theDaemonGoesStraightThroughOkhttpForAnHttpsServerItsCaAndAToken() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "t0ken")) {
      server.putNode(FakeNodes.small("n1", 1));
      Path flag = server.writeKubeconfig(dir.resolve("flag"));

      KubeClients.DaemonConnection c =
          KubeClients.connectDaemon(
              flag, env(Map.of()), dir.resolve("no-token"), dir.resolve("no-ca"), dir);

      assertThat(c.lean()).isTrue();
      assertThat(c.source()).isEqualTo("kubeconfig " + flag + " (from --kubeconfig)");
      assertThat(get(c.http(), "/api/v1/nodes/n1")).contains("\"name\":\"n1\"");
      // The generated API's client too, for Events and patches.
      assertThat(new CoreV1Api(c.api().get()).readNode("n1").execute().getMetadata().getName())
          .isEqualTo("n1");
    }
  }

  @Test
  void inAPodTheDaemonUsesTheServiceAccountsTokenAndCa() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTPS, "sa-t0ken")) {
      server.putNode(FakeNodes.small("n1", 1));
      Path token = Files.writeString(dir.resolve("token"), "sa-t0ken\n");
      Path ca = Files.writeString(dir.resolve("ca.crt"), server.caPem());

      KubeClients.DaemonConnection c =
          KubeClients.connectDaemon(
              null,
              env(
                  Map.of(
                      "KUBERNETES_SERVICE_HOST",
                      server.url().getHost(),
                      "KUBERNETES_SERVICE_PORT",
                      Integer.toString(server.url().getPort()))),
              token,
              ca,
              dir.resolve("no-home"));

      assertThat(c.lean()).isTrue();
      assertThat(c.source()).isEqualTo("in-cluster service account");
      assertThat(get(c.http(), "/api/v1/nodes/n1")).contains("\"name\":\"n1\"");
    }
  }

  @Test
  void anyOtherConfigurationGoesThroughClientJavasApiClient() throws Exception {
    try (FakeApiServer server = FakeApiServer.start(FakeApiServer.Scheme.HTTP, "t")) {
      server.putNode(FakeNodes.small("n1", 1));
      Path flag = server.writeKubeconfig(dir.resolve("flag"));

      KubeClients.DaemonConnection c =
          KubeClients.connectDaemon(
              flag, env(Map.of()), dir.resolve("no-token"), dir.resolve("no-ca"), dir);

      assertThat(c.lean()).as("plain http").isFalse();
      assertThat(get(c.http(), "/api/v1/nodes/n1")).contains("\"name\":\"n1\"");
    }
  }

  private static String get(KubeHttp http, String path) throws IOException {
    try (okhttp3.Response r = http.get(path, java.util.List.of()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      return r.body().string();
    }
  }

  private static java.util.function.Function<String, String> env(Map<String, String> env) {
    return env::get;
  }
}
