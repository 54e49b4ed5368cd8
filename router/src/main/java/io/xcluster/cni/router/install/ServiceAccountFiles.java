package io.xcluster.cni.router.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The pod's service-account files that the kubelet projects (and rotates) into every container:
 * {@code token}, {@code ca.crt} and {@code namespace}.
 *
 * @param dir usually {@link #DEFAULT_DIR}
 */
public record ServiceAccountFiles(Path dir) {
  public static final String DEFAULT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  public String token() throws IOException {
    return Files.readString(dir.resolve("token"), StandardCharsets.UTF_8).strip();
  }

  public byte[] caPem() throws IOException {
    return Files.readAllBytes(dir.resolve("ca.crt"));
  }

  /**
   * The service account this pod runs as, from the token's {@code sub} claim ({@code
   * system:serviceaccount:<namespace>:<name>}).
   *
   * @return namespace and name
   * @throws IOException when the token cannot be read or names no service account
   */
  public String[] identity() throws IOException {
    String t = token();
    String[] parts = t.split("\\.");
    String sub = null;
    if (parts.length == 3) {
      try {
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        sub = claims.path("sub").asText(null);
      } catch (IOException | IllegalArgumentException e) {
        sub = null;
      }
    }
    String prefix = "system:serviceaccount:";
    if (sub == null || !sub.startsWith(prefix) || sub.split(":").length != 4) {
      throw new IOException("the token in " + dir + " does not name a service account");
    }
    String[] nsName = sub.substring(prefix.length()).split(":");
    return new String[] {nsName[0], nsName[1]};
  }
}
