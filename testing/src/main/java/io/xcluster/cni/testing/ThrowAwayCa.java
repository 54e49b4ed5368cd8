package io.xcluster.cni.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one test JVM, and a server certificate it signed for {@code
 * 127.0.0.1} and {@code localhost}. Nothing of it is trusted anywhere else: clients trust it only
 * through {@link #caPem()} (a kubeconfig's {@code certificate-authority-data}).
 *
 * <p>The JDK has no public API to sign a certificate, so this runs the JDK's own {@code keytool}
 * (from {@code java.home}) a few times, once per JVM: no extra dependency. EC P-256 keys, valid
 * from a day ago for two days.
 */
final class ThrowAwayCa {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
  private static ThrowAwayCa instance;

  private final String caPem;
  private final KeyStore serverKeyStore;

  private ThrowAwayCa(String caPem, KeyStore serverKeyStore) {
    this.caPem = caPem;
    this.serverKeyStore = serverKeyStore;
  }

  /** The CA of this JVM, made on first use. */
  static synchronized ThrowAwayCa get() {
    if (instance == null) {
      instance = create();
    }
    return instance;
  }

  /** The CA certificate, PEM. */
  String caPem() {
    return caPem;
  }

  /** A TLS server context presenting the signed certificate and the CA as its chain. */
  SSLContext serverContext() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(serverKeyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the fake API server's TLS context", e);
    }
  }

  private static ThrowAwayCa create() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("xcni-fake-ca-");
      String ca = dir.resolve("ca.p12").toString();
      String server = dir.resolve("server.p12").toString();
      String csr = dir.resolve("server.csr").toString();
      String signed = dir.resolve("server.pem").toString();
      String caCert = dir.resolve("ca.pem").toString();
      List<String> ec = List.of("-keyalg", "EC", "-groupname", "secp256r1");
      List<String> validity = List.of("-startdate", "-1d", "-validity", "2");

      keytool(
          concat(
              List.of("-genkeypair", "-keystore", ca, "-alias", "ca"),
              ec,
              validity,
              List.of(
                  "-dname",
                  "CN=xcluster-cni fake API server CA",
                  "-ext",
                  "bc:c=ca:true,pathlen:0",
                  "-ext",
                  "ku:c=keyCertSign,cRLSign")));
      keytool(
          concat(
              List.of("-genkeypair", "-keystore", server, "-alias", "server"),
              ec,
              validity,
              List.of("-dname", "CN=localhost")));
      keytool(List.of("-certreq", "-keystore", server, "-alias", "server", "-file", csr));
      keytool(
          concat(
              List.of("-gencert", "-keystore", ca, "-alias", "ca", "-infile", csr),
              List.of("-outfile", signed, "-rfc"),
              validity,
              List.of(
                  "-ext",
                  "san=ip:127.0.0.1,dns:localhost",
                  "-ext",
                  "eku=serverAuth",
                  "-ext",
                  "ku:c=digitalSignature")));
      keytool(List.of("-exportcert", "-keystore", ca, "-alias", "ca", "-rfc", "-file", caCert));
      keytool(List.of("-importcert", "-keystore", server, "-alias", "ca", "-file", caCert));
      keytool(List.of("-importcert", "-keystore", server, "-alias", "server", "-file", signed));

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(Path.of(server))) {
        keyStore.load(in, PASSWORD);
      }
      return new ThrowAwayCa(
          Files.readString(Path.of(caCert), StandardCharsets.US_ASCII), keyStore);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the fake API server's certificates", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the fake API server's certificates", e);
    } finally {
      deleteTree(dir);
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  private static void keytool(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived JVM: the C1 compiler and the serial collector start it twice as fast.
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(args);
    command.addAll(
        List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    try {
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool timed out: " + String.join(" ", args));
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "keytool "
                + String.join(" ", args)
                + " failed: "
                + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory of a test run is harmless.
    }
  }
}
