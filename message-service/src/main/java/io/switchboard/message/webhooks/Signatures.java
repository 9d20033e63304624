package io.switchboard.message.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Switchboard-Signature} header (docs/operations.md, "Webhooks"):
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, one {@code v1} per valid secret (two
 * during a rotation), so that a receiver holding either secret verifies the request.
 */
public final class Signatures {
  public static final String HEADER = "Switchboard-Signature";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Signatures() {}

  /** The header's value for {@code body} sent at {@code unixSeconds}, signed with each secret. */
  public static String header(long unixSeconds, String body, List<String> secrets) {
    StringBuilder header = new StringBuilder("t=").append(unixSeconds);
    for (String secret : secrets) {
      header.append(",v1=").append(hmac(secret, unixSeconds + "." + body));
    }
    return header.toString();
  }

  /** Hex HMAC-SHA256 of {@code signed} with {@code secret} (its UTF-8 bytes). */
  public static String hmac(String secret, String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** A new endpoint secret: 32 random bytes, hex, with a prefix that says what it is. */
  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + HexFormat.of().formatHex(bytes);
  }
}
