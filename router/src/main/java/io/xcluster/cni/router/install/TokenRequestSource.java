package io.xcluster.cni.router.install;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.xcluster.cni.router.kube.KubeHttp;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Tokens from the TokenRequest API ({@code serviceaccounts/<name>/token}): bound to the service
 * account, not to this pod, so they outlive the pod during a rolling update; valid for {@code
 * validity} (24 h by default, as Calico's), and renewed when a quarter of the remaining life has
 * passed, so a token is always far from expiry. Needs {@code create} on {@code
 * serviceaccounts/token} for that one service account.
 */
public final class TokenRequestSource implements TokenSource {
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

  /** The longest one request may take. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final KubeHttp http;
  private final String namespace;
  private final String serviceAccount;
  private final Duration validity;
  private final Duration minRefresh;

  /**
   * @param http requests authenticated as the daemon's service account
   * @param namespace the service account's namespace
   * @param serviceAccount the service account kube-node acts as
   * @param validity the lifetime asked for (the API server may shorten it)
   * @param minRefresh the shortest wait between two requests
   */
  public TokenRequestSource(
      KubeHttp http,
      String namespace,
      String serviceAccount,
      Duration validity,
      Duration minRefresh) {
    this.http = http;
    this.namespace = namespace;
    this.serviceAccount = serviceAccount;
    this.validity = validity;
    this.minRefresh = minRefresh;
  }

  @Override
  public Token token() throws IOException {
    String request =
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
            + "\"spec\":{\"audiences\":[],\"expirationSeconds\":"
            + validity.toSeconds()
            + "}}";
    String what = "TokenRequest for " + namespace + "/" + serviceAccount;
    Call call =
        http.call(
            "POST",
            "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + serviceAccount + "/token",
            List.of(),
            request,
            "application/json");
    call.timeout().timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    String answer;
    int code;
    try (Response response = call.execute()) {
      code = response.code();
      answer = response.body() == null ? "" : response.body().string();
    } catch (IOException e) {
      throw new IOException(what + ": " + e.getMessage(), e);
    }
    if (code / 100 != 2) {
      throw new IOException(what + ": HTTP " + code + " " + abbreviate(answer));
    }
    String token;
    Optional<Instant> expiry;
    try {
      JsonObject status =
          JsonParser.parseString(answer).getAsJsonObject().getAsJsonObject("status");
      JsonElement t = status == null ? null : status.get("token");
      token = t == null || t.isJsonNull() ? null : t.getAsString();
      JsonElement e = status == null ? null : status.get("expirationTimestamp");
      expiry =
          e == null || e.isJsonNull()
              ? Optional.empty()
              : Optional.of(OffsetDateTime.parse(e.getAsString()).toInstant());
    } catch (RuntimeException e) {
      throw new IOException(what + ": bad answer: " + e.getMessage(), e);
    }
    if (token == null || token.isEmpty()) {
      throw new IOException(what + ": no token");
    }
    String issued = token;
    return new Token(issued, expiry.or(() -> TokenSource.jwtExpiry(issued)));
  }

  private static String abbreviate(String text) {
    String t = text.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }

  @Override
  public Duration refreshAfter(Token token, Instant now) {
    Duration left = token.expiry().map(e -> Duration.between(now, e)).orElse(validity);
    Duration wait = left.dividedBy(4);
    return wait.compareTo(minRefresh) < 0 ? minRefresh : wait;
  }
}
