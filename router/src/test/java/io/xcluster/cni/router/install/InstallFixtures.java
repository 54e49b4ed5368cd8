package io.xcluster.cni.router.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Files an install reads, made in a test's temporary directory. */
final class InstallFixtures {
  static final String CA =
      "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mt\n"
          + "-----END CERTIFICATE-----\n";

  private InstallFixtures() {}

  /**
   * A JWT-shaped token for service account kube-system/{@code name}, expiring in 2100; not signed
   * by anything.
   */
  static String token(String name) {
    return jwt("system:serviceaccount:kube-system:" + name, 4102444800L);
  }

  /** A token that expired in 2020. */
  static String expiredToken() {
    return jwt("system:serviceaccount:kube-system:old", 1577836800L);
  }

  static String jwt(String sub, long exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(
            ("{\"sub\":\"" + sub + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  /** A service-account dir laid out the way the kubelet's atomic writer does it. */
  static Path serviceAccount(Path root, String token) throws IOException {
    Path dir = Files.createDirectories(root.resolve("serviceaccount"));
    rotate(dir, token, "..2026_01_01_00_00_00.000000001");
    Files.createSymbolicLink(dir.resolve("token"), Path.of("..data/token"));
    Files.createSymbolicLink(dir.resolve("ca.crt"), Path.of("..data/ca.crt"));
    Files.createSymbolicLink(dir.resolve("namespace"), Path.of("..data/namespace"));
    return dir;
  }

  /**
   * Rotates the token the kubelet's way: a new timestamped directory, a {@code ..data_tmp} link to
   * it, renamed over {@code ..data}.
   */
  static void rotate(Path dir, String token, String generation) throws IOException {
    Path gen = Files.createDirectory(dir.resolve(generation));
    Files.writeString(gen.resolve("token"), token);
    Files.writeString(gen.resolve("ca.crt"), CA);
    Files.writeString(gen.resolve("namespace"), "kube-system");
    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, Path.of(generation));
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** A kube-node-like bundle: a launcher script, a "runtime" and a jar. */
  static Path bundle(Path root, String marker) throws IOException {
    Path dir = Files.createDirectories(root.resolve("bundle-" + marker));
    Files.createDirectories(dir.resolve("bin"));
    Files.createDirectories(dir.resolve("runtime/bin"));
    Files.createDirectories(dir.resolve("lib"));
    executable(dir.resolve("bin/kube-node"), "#!/bin/sh\necho kube-node " + marker + "\n");
    executable(dir.resolve("runtime/bin/java"), "#!/bin/sh\nexit 0\n");
    Files.writeString(dir.resolve("lib/kube-node.jar"), "jar " + marker);
    Files.deleteIfExists(dir.resolve("lib/current.jar"));
    Files.createSymbolicLink(dir.resolve("lib/current.jar"), Path.of("kube-node.jar"));
    return dir;
  }

  /** A plugin that prints a CNI "about" line, like skel does without CNI_COMMAND. */
  static Path plugin(Path dir, String name, String about) throws IOException {
    Files.createDirectories(dir);
    return executable(
        dir.resolve(name), "#!/bin/sh\necho 'CNI " + name + " plugin " + about + "' >&2\n");
  }

  static Path executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
