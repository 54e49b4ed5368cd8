package io.xcluster.cni.router.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Where kube-node's kubeconfig gets its bearer token, and when to ask for the next one. */
public interface TokenSource {

  /**
   * A bearer token.
   *
   * @param value the token
   * @param expiry when it stops working, when known
   */
  record Token(String value, Optional<Instant> expiry) {
    @Override
    public String toString() {
      return "Token[redacted, expires " + expiry.map(Instant::toString).orElse("?") + "]";
    }
  }

  /**
   * The token to write now.
   *
   * @throws IOException when it cannot be had
   */
  Token token() throws IOException;

  /** How long after getting {@code token} at {@code now} to ask again, at the latest. */
  Duration refreshAfter(Token token, Instant now);

  /**
   * The {@code exp} claim of a JWT, without checking its signature (the API server does that);
   * empty when the token is not a JWT or has none.
   */
  static Optional<Instant> jwtExpiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode exp = claims.get("exp");
      return exp != null && exp.canConvertToLong()
          ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
          : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The pod's projected service-account token, which the kubelet rotates (at 80% of its life);
   * re-read every {@code period}, and on every change the watch reports.
   */
  static TokenSource projected(ServiceAccountFiles files, Duration period) {
    return new TokenSource() {
      @Override
      public Token token() throws IOException {
        String t = files.token();
        Optional<Instant> exp = jwtExpiry(t);
        if (exp.isPresent() && exp.get().isBefore(Instant.now())) {
          throw new IOException(
              "the projected token expired at " + exp.get() + ": the kubelet did not rotate it");
        }
        return new Token(t, exp);
      }

      @Override
      public Duration refreshAfter(Token token, Instant now) {
        return period;
      }
    };
  }
}
