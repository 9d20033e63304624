package io.switchboard.gateway.calls;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What calls need from the configuration, checked once at start: how long a call rings, how large a
 * room and a signal may be, and the ICE servers handed to clients. With {@code CALL_TURN_SECRET},
 * each user gets TURN credentials of the TURN REST convention (coturn's {@code use-auth-secret}):
 * username {@code <expiry epoch seconds>:<userId>}, credential base64(HMAC-SHA1(secret, username)),
 * so the TURN servers check them without asking anyone, and a leaked pair expires by itself.
 */
public record CallSettings(long ringTimeoutMs, int maxMembers, int signalMaxBytes, JsonArray iceServers,
    List<String> turnUrls, String turnSecret, long turnTtlSeconds) {

  public CallSettings {
    iceServers = iceServers == null ? new JsonArray() : iceServers.copy();
    turnUrls = turnUrls == null ? List.of() : List.copyOf(turnUrls);
    if (!turnUrls.isEmpty() && (turnSecret == null || turnSecret.isEmpty())) {
      throw new IllegalArgumentException("gateway: " + ConfigKey.CALL_TURN_URLS.env() + " needs "
          + ConfigKey.CALL_TURN_SECRET.env());
    }
    if (ringTimeoutMs <= 0 || maxMembers < 2 || signalMaxBytes <= 0 || turnTtlSeconds <= 0) {
      throw new IllegalArgumentException("gateway: " + ConfigKey.CALL_RING_TIMEOUT_MS.env() + ", "
          + ConfigKey.CALL_SIGNAL_MAX_BYTES.env() + " and " + ConfigKey.CALL_TURN_TTL_SECONDS.env()
          + " must be positive, " + ConfigKey.CALL_MAX_MEMBERS.env() + " at least 2");
    }
  }

  public static CallSettings from(Config config) {
    JsonArray ice;
    try {
      ice = new JsonArray(config.string(ConfigKey.CALL_ICE_SERVERS));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("gateway: " + ConfigKey.CALL_ICE_SERVERS.env()
          + " must be a JSON array of ICE servers ({\"urls\": ...}), got " + config.string(ConfigKey.CALL_ICE_SERVERS));
    }
    for (Object server : ice) {
      if (!(server instanceof JsonObject s) || s.getValue("urls") == null) {
        throw new IllegalArgumentException("gateway: each of " + ConfigKey.CALL_ICE_SERVERS.env()
            + " must be an object with urls, got " + server);
      }
    }
    String secret = config.string(ConfigKey.CALL_TURN_SECRET);
    return new CallSettings(config.longValue(ConfigKey.CALL_RING_TIMEOUT_MS), config.integer(ConfigKey.CALL_MAX_MEMBERS),
        config.integer(ConfigKey.CALL_SIGNAL_MAX_BYTES), ice, config.list(ConfigKey.CALL_TURN_URLS),
        secret == null ? "" : secret, config.longValue(ConfigKey.CALL_TURN_TTL_SECONDS));
  }

  /** The ICE servers for {@code userId}: the configured ones, and TURN with credentials of their own when configured. */
  public JsonArray iceServersFor(String userId, long nowEpochSeconds) {
    JsonArray servers = iceServers.copy();
    if (!turnUrls.isEmpty()) {
      String username = (nowEpochSeconds + turnTtlSeconds) + ":" + userId;
      servers.add(new JsonObject().put("urls", new JsonArray(turnUrls)).put("username", username)
          .put("credential", turnCredential(turnSecret, username)));
    }
    return servers;
  }

  /** base64(HMAC-SHA1(secret, username)), as TURN servers with a shared secret compute it. */
  static String turnCredential(String secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}
