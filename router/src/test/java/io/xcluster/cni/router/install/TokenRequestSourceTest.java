package io.xcluster.cni.router.install;

import static io.xcluster.cni.router.install.InstallFixtures.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.xcluster.cni.router.kube.KubeHttp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenRequest against a small fake API server on 127.0.0.1. */
class TokenRequestSourceTest {
  private static final String PATH =
      "/api/v1/namespaces/kube-system/serviceaccounts/xcluster-cni/token";

  @TempDir Path tmp;
  HttpServer server;
  ApiClient client;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final AtomicInteger issued = new AtomicInteger();
  volatile Duration lifetime = Duration.ofHours(24);
  volatile int status = 201;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          byte[] answer;
          if (!exchange.getRequestMethod().equals("POST")
              || !exchange.getRequestURI().getPath().equals(PATH)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          requests.add(new ObjectMapper().readTree(body));
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          if (status != 201) {
            answer = "{\"kind\":\"Status\",\"code\":403}".getBytes(StandardCharsets.UTF_8);
          } else {
            int n = issued.incrementAndGet();
            Instant exp = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
            answer =
                ("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                        + "\"spec\":"
                        + requests.getLast().path("spec")
                        + ",\"status\":{\"token\":\""
                        + InstallFixtures.token("issued-" + n)
                        + "\",\"expirationTimestamp\":\""
                        + exp
                        + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    client =
        new ClientBuilder()
            .setBasePath("http://127.0.0.1:" + server.getAddress().getPort())
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** As the daemon asks: straight through okhttp, with its own service account's token. */
  private TokenRequestSource source(Duration minRefresh) {
    KubeHttp http =
        KubeHttp.lean(
            HttpUrl.get("http://127.0.0.1:" + server.getAddress().getPort()),
            new OkHttpClient(),
            () -> "daemon-token");
    return new TokenRequestSource(
        http, "kube-system", "xcluster-cni", Duration.ofHours(24), minRefresh);
  }

  @Test
  void throughClientJavasApiClientTheRequestIsTheSame() throws Exception {
    TokenSource.Token t =
        new TokenRequestSource(
                KubeHttp.of(client),
                "kube-system",
                "xcluster-cni",
                Duration.ofHours(24),
                Duration.ofMinutes(1))
            .token();

    assertThat(t.value()).isEqualTo(InstallFixtures.token("issued-1"));
    assertThat(t.expiry()).isPresent();
    assertThat(requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path("kind").asText()).isEqualTo("TokenRequest");
              assertThat(r.path("spec").path("expirationSeconds").asLong()).isEqualTo(86400);
            });
  }

  @Test
  void asksFor24HoursForTheServiceAccountAndRenewsAfterAQuarterOfTheRemainingLife()
      throws Exception {
    TokenSource.Token t = source(Duration.ofMinutes(1)).token();

    assertThat(t.value()).isEqualTo(InstallFixtures.token("issued-1"));
    assertThat(t.expiry()).isPresent();
    assertThat(authorizations).containsExactly("Bearer daemon-token");
    assertThat(requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path("kind").asText()).isEqualTo("TokenRequest");
              assertThat(r.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
              assertThat(r.path("spec").path("expirationSeconds").asLong()).isEqualTo(86400);
            });
    Instant now = Instant.now();
    assertThat(source(Duration.ofMinutes(1)).refreshAfter(t, now))
        .isBetween(Duration.ofMinutes(359), Duration.ofMinutes(361));
    // Close to expiry, never sooner than the minimum: no request storm.
    TokenSource.Token nearlyDead = new TokenSource.Token("x", Optional.of(now.plusSeconds(8)));
    assertThat(source(Duration.ofMinutes(1)).refreshAfter(nearlyDead, now))
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aRefusedRequestIsAnErrorThatNamesTheServiceAccount() {
    status = 403;
    assertThatThrownBy(() -> source(Duration.ofMinutes(1)).token())
        .hasMessageContaining("kube-system/xcluster-cni")
        .hasMessageContaining("403");
  }

  @Test
  void theRefresherRenewsTheTokenBeforeItExpires() throws Exception {
    Path sa = InstallFixtures.serviceAccount(tmp, InstallFixtures.token("xcluster-cni"));
    InstanceLayout layout =
        new InstanceLayout(
            tmp.resolve("bin"), tmp.resolve("net.d"), Path.of("/etc/cni/net.d"), "xcluster-cni");
    lifetime = Duration.ofSeconds(2); // the API server may shorten what was asked for
    try (TokenRefresher r =
        new TokenRefresher(
                source(Duration.ofMillis(100)),
                new ServiceAccountFiles(sa),
                layout,
                URI.create("https://10.96.0.1:443"),
                Duration.ofMinutes(1),
                Duration.ofMillis(100))
            .start()) {
      Instant end = Instant.now().plusSeconds(20);
      while (issued.get() < 3 && Instant.now().isBefore(end)) {
        Thread.sleep(20);
      }
      assertThat(issued.get()).as("tokens issued").isGreaterThanOrEqualTo(3);
      Instant end2 = Instant.now().plusSeconds(10);
      String text = "";
      while (Instant.now().isBefore(end2)) {
        text = Files.readString(layout.kubeconfig());
        if (!text.contains(InstallFixtures.token("issued-1"))) {
          break;
        }
        Thread.sleep(20);
      }
      assertThat(text).doesNotContain(InstallFixtures.token("issued-1")).contains("token: ");
      assertThat(mode(layout.kubeconfig())).isEqualTo("rw-------");
      assertThat(r.lastError()).isEmpty();
    }
  }
}
