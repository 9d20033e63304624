package io.switchboard.common.runtime;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS with client certificates on the clustered event bus: every member presents a certificate of
 * the cluster's CA and accepts only peers that do, in both directions, so that joining Hazelcast
 * (which open-source Hazelcast does not authenticate) gives no way to send or receive bus messages.
 *
 * <p>Members reach each other at their bus address (the pod IP), which no certificate can name in
 * advance, and Vert.x's bus client verifies no host name: trust is the CA alone. Hence a CA that
 * signs nothing but the cluster's members (deploy/cluster-ca.sh).
 *
 * <p>The files are read once, at start-up, before Vert.x exists; a process without usable material
 * refuses to start, saying which key to fix. Rotating means new files and a rolling restart.
 */
final class ClusterTls {
  private static final List<ConfigKey> KEYS = List.of(ConfigKey.CLUSTER_TLS_CA, ConfigKey.CLUSTER_TLS_CERT,
      ConfigKey.CLUSTER_TLS_KEY);
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /** What {@link #load} found, for the start-up log line. */
  record Summary(String subject, String notAfter, int trustedCas) {}

  private ClusterTls() {}

  /** Turns on TLS with required client certificates, or throws naming the keys to set. */
  static Summary load(EventBusOptions bus, Config config) {
    List<String> missing = KEYS.stream().filter(k -> !config.isSet(k)).map(ConfigKey::env).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("config: a clustered process needs TLS material for the event bus, "
          + "and " + String.join(", ", missing) + " " + (missing.size() == 1 ? "is" : "are") + " not set: set "
          + KEYS.stream().map(k -> k.env() + " (" + k.path() + ")").toList()
          + " to PEM files; deploy/cluster-ca.sh makes them (docs/operations.md, \"The cluster plane\")");
    }
    byte[] ca = read(config, ConfigKey.CLUSTER_TLS_CA);
    byte[] cert = read(config, ConfigKey.CLUSTER_TLS_CERT);
    byte[] key = read(config, ConfigKey.CLUSTER_TLS_KEY);
    List<X509Certificate> cas = certificates(ca, ConfigKey.CLUSTER_TLS_CA);
    X509Certificate member = certificates(cert, ConfigKey.CLUSTER_TLS_CERT).get(0);
    requireIssuedBy(member, cas);
    requireValid(member);
    requireMatchingKey(member, key);
    bus.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key)))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca)));
    return new Summary(member.getSubjectX500Principal().getName(), member.getNotAfter().toInstant().toString(), cas.size());
  }

  private static byte[] read(Config config, ConfigKey key) {
    Path path = Path.of(config.string(key).trim());
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw invalid(key, "cannot read " + path + " (" + e + ")");
    }
  }

  private static List<X509Certificate> certificates(byte[] pem, ConfigKey key) {
    try {
      List<X509Certificate> all = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem)).stream().map(c -> (X509Certificate) c).toList();
      if (all.isEmpty()) {
        throw invalid(key, "holds no certificate");
      }
      return all;
    } catch (GeneralSecurityException e) {
      throw invalid(key, "is not a PEM certificate file (" + e.getMessage() + ")");
    }
  }

  private static void requireIssuedBy(X509Certificate member, List<X509Certificate> cas) {
    for (X509Certificate ca : cas) {
      try {
        member.verify(ca.getPublicKey());
        return;
      } catch (GeneralSecurityException notThisOne) {
        // Try the next CA of the bundle.
      }
    }
    throw invalid(ConfigKey.CLUSTER_TLS_CERT, "was not issued by a CA of " + ConfigKey.CLUSTER_TLS_CA.env()
        + ": the other members would refuse this one");
  }

  private static void requireValid(X509Certificate member) {
    try {
      member.checkValidity();
    } catch (GeneralSecurityException e) {
      throw invalid(ConfigKey.CLUSTER_TLS_CERT, "is not valid now (from " + member.getNotBefore().toInstant()
          + " to " + member.getNotAfter().toInstant() + ")");
    }
  }

  /** Signs with the key and verifies with the certificate: a key of another member fails here, not on every connection. */
  private static void requireMatchingKey(X509Certificate member, byte[] pem) {
    Matcher m = PEM.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
      throw invalid(ConfigKey.CLUSTER_TLS_KEY, "is not a PKCS#8 PEM key (BEGIN PRIVATE KEY; convert with openssl pkcs8 -topk8 -nocrypt)");
    }
    String algorithm = member.getPublicKey().getAlgorithm();
    boolean matches;
    try {
      PrivateKey key = KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(2).trim())));
      String scheme = "SHA256with" + (algorithm.equals("EC") ? "ECDSA" : algorithm);
      byte[] probe = "switchboard cluster member".getBytes(StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(scheme);
      sign.initSign(key);
      sign.update(probe);
      Signature verify = Signature.getInstance(scheme);
      verify.initVerify(member.getPublicKey());
      verify.update(probe);
      matches = verify.verify(sign.sign());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw invalid(ConfigKey.CLUSTER_TLS_KEY, "is not a usable " + algorithm + " key (" + e.getMessage() + ")");
    }
    if (!matches) {
      throw invalid(ConfigKey.CLUSTER_TLS_KEY, "is not the key of " + ConfigKey.CLUSTER_TLS_CERT.env());
    }
  }

  private static IllegalArgumentException invalid(ConfigKey key, String problem) {
    return new IllegalArgumentException("config: " + key.env() + " (" + key.path() + ") " + problem);
  }
}
