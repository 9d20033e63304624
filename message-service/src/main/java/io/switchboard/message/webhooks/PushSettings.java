package io.switchboard.message.webhooks;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;

/**
 * Web Push's VAPID keys (README, configuration: {@code VAPID_*}; docs/operations.md "Web Push"). Push
 * is off when neither key is set: nobody can register a subscription and nothing is pushed. One key
 * without the other, keys without a subject, or keys that are not a P-256 pair stop the start.
 */
public record PushSettings(String publicKey, String privateKey, String subject) {
  public static final PushSettings OFF = new PushSettings("", "", "");

  public PushSettings {
    publicKey = publicKey == null ? "" : publicKey.trim();
    privateKey = privateKey == null ? "" : privateKey.trim();
    subject = subject == null ? "" : subject.trim();
    if (publicKey.isEmpty() != privateKey.isEmpty()) {
      throw new IllegalArgumentException("config: " + ConfigKey.VAPID_PUBLIC_KEY.env() + " and "
          + ConfigKey.VAPID_PRIVATE_KEY.env() + " go together (both empty: Web Push off)");
    }
    if (!publicKey.isEmpty()) {
      if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
        throw new IllegalArgumentException("config: " + ConfigKey.VAPID_SUBJECT.env()
            + " (a mailto: or https: URL) is required with VAPID keys");
      }
      keys(publicKey, privateKey);
    }
  }

  public static PushSettings from(Config config) {
    return new PushSettings(config.string(ConfigKey.VAPID_PUBLIC_KEY), config.string(ConfigKey.VAPID_PRIVATE_KEY),
        config.string(ConfigKey.VAPID_SUBJECT));
  }

  public boolean enabled() {
    return !publicKey.isEmpty();
  }

  /** The library's signer and encrypter for these keys; only when {@link #enabled}. */
  WebPush webPush() {
    return new WebPush(subject, keys(publicKey, privateKey));
  }

  private static VapidKeys keys(String publicKey, String privateKey) {
    try {
      VapidKeys keys = VapidKeys.fromUncompressedBytes(publicKey, privateKey);
      if (!com.interaso.webpush.CryptoKt.areKeysValidPair(keys.getPrivateKey(), keys.getPublicKey())) {
        throw new IllegalArgumentException("not a pair");
      }
      return keys;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("config: " + ConfigKey.VAPID_PUBLIC_KEY.env() + " and "
          + ConfigKey.VAPID_PRIVATE_KEY.env() + " must be a P-256 key pair in base64url (docs/operations.md, \"Web Push\")");
    }
  }

  /** A new key pair in the form of {@code VAPID_PUBLIC_KEY} and {@code VAPID_PRIVATE_KEY}: [public, private]. */
  public static String[] generate() {
    VapidKeys keys = VapidKeys.generate();
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    byte[] scalar = keys.getPrivateKey().getS().toByteArray();
    byte[] fixed = new byte[32];
    // BigInteger's bytes: a sign byte in front when the top bit is set, fewer when it starts with zeros.
    int from = Math.max(0, scalar.length - 32);
    System.arraycopy(scalar, from, fixed, 32 - (scalar.length - from), scalar.length - from);
    return new String[] {b64.encodeToString(keys.getApplicationServerKey()), b64.encodeToString(fixed)};
  }
}
