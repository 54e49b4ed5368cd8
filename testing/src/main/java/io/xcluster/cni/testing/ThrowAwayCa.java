package io.xcluster.cni.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one test JVM, which signs a server certificate for each fake API
 * server: for {@code 127.0.0.1}, {@code ::1}, {@code localhost} and the address the server listens
 * on. Nothing of it is trusted anywhere else: clients trust it only through {@link #caPem()} (a
 * kubeconfig's {@code certificate-authority-data}).
 *
 * <p>The JDK can sign but has no public API to build a certificate, so the X.509 v3 certificates
 * are encoded here in DER (RFC 5280), a few dozen bytes of structure around the JDK's own key
 * encodings and ECDSA signatures: no extra dependency, no {@code keytool} process, a few
 * milliseconds. EC P-256 keys; valid from an hour ago for two days.
 */
final class ThrowAwayCa {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final String CA_NAME = "xcluster-cni fake API server CA";
  private static ThrowAwayCa instance;

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final String pem;

  private ThrowAwayCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
    this.pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encoded(certificate))
            + "\n-----END CERTIFICATE-----\n";
  }

  /** The CA of this JVM, made on first use. */
  static synchronized ThrowAwayCa get() {
    if (instance == null) {
      try {
        KeyPair keys = newKeyPair();
        byte[] name = name(CA_NAME);
        byte[] extensions =
            Der.sequence(
                extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                extension(
                    OID_KEY_USAGE, true, Der.bitString(1, (byte) 0x06))); // keyCertSign, cRLSign
        instance =
            new ThrowAwayCa(
                keys,
                certificate(
                    name, name, keys.getPublic().getEncoded(), extensions, keys.getPrivate()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot make the fake API server's CA", e);
      }
    }
    return instance;
  }

  /** The CA certificate, PEM. */
  String caPem() {
    return pem;
  }

  X509Certificate caCertificate() {
    return certificate;
  }

  /**
   * A TLS server context presenting a new certificate, signed by this CA, for {@code 127.0.0.1},
   * {@code ::1}, {@code localhost} and {@code extra} (e.g. a namespace address the server listens
   * on), with the CA as its chain.
   */
  SSLContext serverContext(List<InetAddress> extra) {
    try {
      KeyPair serverKeys = newKeyPair();
      List<byte[]> names = new ArrayList<>();
      Set<InetAddress> addresses = new LinkedHashSet<>();
      addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
      addresses.add(InetAddress.getByAddress(ipv6Loopback()));
      addresses.addAll(extra);
      for (InetAddress address : addresses) {
        names.add(Der.tagged(0x87, address.getAddress()));
      }
      names.add(Der.tagged(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)));
      byte[] extensions =
          Der.sequence(
              extension(OID_KEY_USAGE, true, Der.bitString(7, (byte) 0x80)), // digitalSignature
              extension(OID_EXT_KEY_USAGE, false, Der.sequence(Der.oid(OID_SERVER_AUTH))),
              extension(OID_SUBJECT_ALT_NAME, false, Der.sequence(names.toArray(byte[][]::new))));
      X509Certificate server =
          certificate(
              name(CA_NAME),
              name("localhost"),
              serverKeys.getPublic().getEncoded(),
              extensions,
              keys.getPrivate());
      server.verify(certificate.getPublicKey());

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, PASSWORD);
      keyStore.setKeyEntry(
          "server", serverKeys.getPrivate(), PASSWORD, new Certificate[] {server, certificate});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make the fake API server's certificate", e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
  private static final String OID_SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String OID_COMMON_NAME = "2.5.4.3";
  private static final String OID_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

  private static X509Certificate certificate(
      byte[] issuer,
      byte[] subject,
      byte[] subjectPublicKeyInfo,
      byte[] extensions,
      PrivateKey signer)
      throws GeneralSecurityException {
    Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    Instant notAfter = notBefore.plus(Duration.ofDays(2));
    byte[] algorithm = Der.sequence(Der.oid(OID_ECDSA_WITH_SHA256));
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    byte[] tbs =
        Der.sequence(
            Der.tagged(0xa0, Der.integer(BigInteger.TWO)), // v3
            Der.integer(new BigInteger(1, serial)),
            algorithm,
            issuer,
            Der.sequence(Der.utcTime(notBefore), Der.utcTime(notAfter)),
            subject,
            subjectPublicKeyInfo,
            Der.tagged(0xa3, extensions));
    Signature signature = Signature.getInstance(SIGNATURE);
    signature.initSign(signer);
    signature.update(tbs);
    byte[] der = Der.sequence(tbs, algorithm, Der.bitString(0, signature.sign()));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.set(
            Der.sequence(
                Der.oid(OID_COMMON_NAME),
                Der.tagged(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.tagged(0x04, value))
        : Der.sequence(Der.oid(oid), Der.tagged(0x04, value));
  }

  private static byte[] ipv6Loopback() {
    byte[] address = new byte[16];
    address[15] = 1;
    return address;
  }

  /** The few DER encodings a certificate needs (X.690). */
  private static final class Der {
    private Der() {}

    static byte[] tagged(int tag, byte[] content) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
      out.write(tag);
      int length = content.length;
      if (length < 0x80) {
        out.write(length);
      } else {
        byte[] bytes = BigInteger.valueOf(length).toByteArray();
        int skip = bytes[0] == 0 ? 1 : 0;
        out.write(0x80 | (bytes.length - skip));
        out.write(bytes, skip, bytes.length - skip);
      }
      out.writeBytes(content);
      return out.toByteArray();
    }

    static byte[] sequence(byte[]... items) {
      return tagged(0x30, concat(items));
    }

    static byte[] set(byte[]... items) {
      return tagged(0x31, concat(items));
    }

    static byte[] integer(BigInteger value) {
      return tagged(0x02, value.toByteArray());
    }

    static byte[] bool(boolean value) {
      return tagged(0x01, new byte[] {(byte) (value ? 0xff : 0)});
    }

    static byte[] bitString(int unusedBits, byte... bits) {
      byte[] content = new byte[bits.length + 1];
      content[0] = (byte) unusedBits;
      System.arraycopy(bits, 0, content, 1, bits.length);
      return tagged(0x03, content);
    }

    static byte[] utcTime(Instant time) {
      String text =
          DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(time);
      return tagged(0x17, text.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(String dotted) {
      String[] arcs = dotted.split("\\.");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
      for (int i = 2; i < arcs.length; i++) {
        long arc = Long.parseLong(arcs[i]);
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
          int septet = (int) ((arc >> (7 * g)) & 0x7f);
          out.write(g > 0 ? septet | 0x80 : septet);
        }
      }
      return tagged(0x06, out.toByteArray());
    }

    private static byte[] concat(byte[]... items) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] item : items) {
        out.writeBytes(item);
      }
      return out.toByteArray();
    }
  }
}
