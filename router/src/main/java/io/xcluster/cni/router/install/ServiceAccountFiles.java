package io.xcluster.cni.router.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
