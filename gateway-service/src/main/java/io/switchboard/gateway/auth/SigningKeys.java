package io.switchboard.gateway.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks the configured verification keys before any token is verified, so that a key can only
 * verify what it was made for:
 *
 * <ul>
 *   <li>{@code JWT_PUBLIC_KEY} needs an asymmetric {@code JWT_ALGORITHM} of its key's type (RS/PS for
 *       RSA, ES256/384/512 for an EC key on P-256/384/521). An HMAC algorithm with a public key
 *       would make the public key an HMAC secret: anyone holding it could sign tokens.
 *   <li>JWKS keys must be public keys ({@code kty} RSA or EC, or OKP): a symmetric {@code oct} key
 *       published in a key set would be a secret shared with whoever can read the set.
 * </ul>
 */
final class SigningKeys {
  private static final Map<String, String> FAMILY = Map.ofEntries(
      Map.entry("RS256", "RSA"), Map.entry("RS384", "RSA"), Map.entry("RS512", "RSA"),
      Map.entry("PS256", "RSA"), Map.entry("PS384", "RSA"), Map.entry("PS512", "RSA"),
      Map.entry("ES256", "EC"), Map.entry("ES384", "EC"), Map.entry("ES512", "EC"));
  private static final Map<String, Integer> EC_FIELD_BITS = Map.of("ES256", 256, "ES384", 384, "ES512", 521);
  private static final List<String> PUBLIC_KEY_TYPES = List.of("RSA", "EC", "OKP");

  private SigningKeys() {}

  /** The key of {@code JWT_PUBLIC_KEY} (PEM text or a PEM file) for {@code algorithm}, checked. */
  static PubSecKeyOptions publicKey(String keyOrPath, String algorithm) {
    String pem = pem(keyOrPath);
    String family = FAMILY.get(algorithm);
    if (family == null) {
      throw new IllegalArgumentException("auth: JWT_ALGORITHM " + algorithm + " cannot be used with JWT_PUBLIC_KEY; use one of "
          + FAMILY.keySet().stream().sorted().toList() + " (HS256 takes JWT_SECRET)");
    }
    PublicKey key = parse(pem);
    if (!family.equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("auth: JWT_PUBLIC_KEY is an " + key.getAlgorithm() + " key, which "
          + algorithm + " does not use (set JWT_ALGORITHM to match the key)");
    }
    if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != EC_FIELD_BITS.get(algorithm)) {
      throw new IllegalArgumentException("auth: JWT_PUBLIC_KEY's curve does not match " + algorithm);
    }
    return new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem);
  }

  /** Refuses a key set that holds anything but public keys. */
  static void requirePublicKeys(List<JsonObject> keys, String location) {
    for (JsonObject key : keys) {
      if (!PUBLIC_KEY_TYPES.contains(key.getString("kty"))) {
        throw new IllegalArgumentException("auth: JWKS " + location + " holds a key of type " + key.getString("kty")
            + "; only public keys (" + PUBLIC_KEY_TYPES + ") are trusted from a key set");
      }
    }
  }

  private static String pem(String keyOrPath) {
    if (keyOrPath.contains("-----BEGIN")) {
      return keyOrPath;
    }
    try {
      return Files.readString(Path.of(keyOrPath));
    } catch (IOException e) {
      throw new IllegalArgumentException("auth: cannot read JWT_PUBLIC_KEY file " + keyOrPath + ": " + e.getMessage());
    }
  }

  private static PublicKey parse(String pem) {
    if (pem.contains("-----BEGIN CERTIFICATE-----")) {
      try {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
      } catch (CertificateException e) {
        throw new IllegalArgumentException("auth: JWT_PUBLIC_KEY's certificate cannot be read: " + e.getMessage());
      }
    }
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("auth: JWT_PUBLIC_KEY must be a PEM public key (BEGIN PUBLIC KEY) or certificate");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth: JWT_PUBLIC_KEY is not valid PEM: " + e.getMessage());
    }
    for (String type : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (InvalidKeySpecException | NoSuchAlgorithmException notThisType) {
        // the next type
      }
    }
    throw new IllegalArgumentException("auth: JWT_PUBLIC_KEY is neither an RSA nor an EC public key");
  }
}
