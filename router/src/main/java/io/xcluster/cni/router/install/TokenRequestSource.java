package io.xcluster.cni.router.install;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.openapi.models.V1TokenRequestStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tokens from the TokenRequest API ({@code serviceaccounts/<name>/token}): bound to the service
 * account, not to this pod, so they outlive the pod during a rolling update; valid for {@code
 * validity} (24 h by default, as Calico's), and renewed when a quarter of the remaining life has
 * passed, so a token is always far from expiry. Needs {@code create} on {@code
 * serviceaccounts/token} for that one service account.
 */
public final class TokenRequestSource implements TokenSource {
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

  private final CoreV1Api api;
  private final String namespace;
  private final String serviceAccount;
  private final Duration validity;
  private final Duration minRefresh;

  /**
   * @param client an API client authenticated as the daemon's service account
   * @param namespace the service account's namespace
   * @param serviceAccount the service account kube-node acts as
   * @param validity the lifetime asked for (the API server may shorten it)
   * @param minRefresh the shortest wait between two requests
   */
  public TokenRequestSource(
      ApiClient client,
      String namespace,
      String serviceAccount,
      Duration validity,
      Duration minRefresh) {
    this.api = new CoreV1Api(client);
    this.namespace = namespace;
    this.serviceAccount = serviceAccount;
    this.validity = validity;
    this.minRefresh = minRefresh;
  }

  @Override
  public Token token() throws IOException {
    AuthenticationV1TokenRequest request =
        new AuthenticationV1TokenRequest()
            .spec(
                new V1TokenRequestSpec()
                    .audiences(List.of())
                    .expirationSeconds(validity.toSeconds()));
    AuthenticationV1TokenRequest answer;
    try {
      answer =
          api.createNamespacedServiceAccountToken(serviceAccount, namespace, request).execute();
    } catch (RuntimeException e) {
      // client-java reports an answer it cannot decode as an unchecked exception.
      throw new IOException(
          "TokenRequest for "
              + namespace
              + "/"
              + serviceAccount
              + ": bad answer: "
              + e.getMessage(),
          e);
    } catch (ApiException e) {
      throw new IOException(
          "TokenRequest for "
              + namespace
              + "/"
              + serviceAccount
              + ": HTTP "
              + e.getCode()
              + " "
              + e.getMessage(),
          e);
    }
    V1TokenRequestStatus status = answer.getStatus();
    if (status == null || status.getToken() == null || status.getToken().isEmpty()) {
      throw new IOException("TokenRequest for " + namespace + "/" + serviceAccount + ": no token");
    }
    Optional<Instant> expiry =
        Optional.ofNullable(status.getExpirationTimestamp())
            .map(t -> t.toInstant())
            .or(() -> TokenSource.jwtExpiry(status.getToken()));
    return new Token(status.getToken(), expiry);
  }

  @Override
  public Duration refreshAfter(Token token, Instant now) {
    Duration left = token.expiry().map(e -> Duration.between(now, e)).orElse(validity);
    Duration wait = left.dividedBy(4);
    return wait.compareTo(minRefresh) < 0 ? minRefresh : wait;
  }
}
