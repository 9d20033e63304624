package io.switchboard.loadtest.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints HS256 JWTs for the simulated users: {@code sub} = user id, {@code name}, {@code iat},
 * {@code exp}. A tiny HMAC rather than a JWT library: tens of thousands of tokens are minted per run.
 * Not thread-safe (one {@link Mac}); use one instance per thread.
 */
public final class Jwt {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Mac mac;
  private final long ttlSeconds;

  public Jwt(String secret, long ttlSeconds) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("jwt: the secret must not be empty");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("jwt: HmacSHA256 unavailable: " + e.getMessage(), e);
    }
    this.ttlSeconds = ttlSeconds;
  }

  /** A token for {@code userId}, valid from now for the configured time to live. */
  public String mint(String userId) {
    long now = System.currentTimeMillis() / 1000;
    String claims = "{\"sub\":" + JsonScan.quote(userId) + ",\"name\":" + JsonScan.quote(userId)
        + ",\"iat\":" + now + ",\"exp\":" + (now + ttlSeconds) + "}";
    String signingInput = HEADER + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(signature);
  }
}
