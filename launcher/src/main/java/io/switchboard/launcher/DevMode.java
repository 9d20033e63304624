package io.switchboard.launcher;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import io.switchboard.message.webhooks.PushSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides dev mode: on when no JWT secret or key is configured (and {@code SWITCHBOARD_DEV_MODE} is
 * not {@code off}), never when one is. In dev mode the gateway signs and accepts tokens with a
 * development secret kept in the data directory, and offers {@code /dev/token}: to this machine only
 * ({@code local}) when dev mode just followed from a missing key, to every address ({@code on}) only
 * when it was asked for. A missing or empty secret therefore never lets another machine mint tokens.
 * A cluster never runs in dev mode: its gateways must share a real key.
 */
final class DevMode {
  private static final Logger LOG = LoggerFactory.getLogger(DevMode.class);

  private DevMode() {}

  static Config resolve(Config config, Path dataDir) {
    boolean realKey = config.isSet(ConfigKey.JWT_SECRET) || config.isSet(ConfigKey.JWT_PUBLIC_KEY)
        || config.isSet(ConfigKey.JWT_JWKS);
    String requested = config.string(ConfigKey.DEV_MODE).trim().toLowerCase();
    if (!requested.equals("auto") && !requested.equals("on") && !requested.equals("off")) {
      throw new IllegalArgumentException("config: " + ConfigKey.DEV_MODE.env() + " must be auto, on or off");
    }
    if (realKey) {
      if (requested.equals("on")) {
        throw new IllegalArgumentException("config: " + ConfigKey.DEV_MODE.env()
            + "=on cannot be combined with a configured JWT secret or key");
      }
      return config.with(ConfigKey.DEV_MODE, "off");
    }
    if (requested.equals("off")) {
      throw new IllegalArgumentException("config: " + ConfigKey.JWT_SECRET.env() + " or "
          + ConfigKey.JWT_PUBLIC_KEY.env() + " is required when dev mode is off");
    }
    if (config.bool(ConfigKey.CLUSTER)) {
      throw new IllegalArgumentException("config: a cluster needs " + ConfigKey.JWT_SECRET.env() + " or "
          + ConfigKey.JWT_PUBLIC_KEY.env() + " shared by every gateway");
    }
    String resolved = requested.equals("on") ? GatewayConfig.DEV_MODE_ON : GatewayConfig.DEV_MODE_LOCAL;
    return devVapid(config.with(ConfigKey.DEV_MODE, resolved).with(ConfigKey.JWT_SECRET, devSecret(dataDir)), dataDir);
  }

  /**
   * Web Push in dev mode: without VAPID keys, a pair kept in the data directory (made the first time,
   * so that the browsers' subscriptions, bound to the public key, outlive a restart), and a subject.
   * Only the public key is logged. Outside dev mode empty keys leave push off.
   */
  static Config devVapid(Config config, Path dataDir) {
    if (config.isSet(ConfigKey.VAPID_PUBLIC_KEY) || config.isSet(ConfigKey.VAPID_PRIVATE_KEY)) {
      return config;
    }
    Path file = dataDir.resolve("dev-vapid-keys");
    try {
      String[] keys;
      if (Files.isRegularFile(file)) {
        keys = Files.readString(file).trim().split("\\s+");
      } else {
        keys = PushSettings.generate();
        Files.createDirectories(dataDir);
        Files.writeString(file, keys[0] + "\n" + keys[1] + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        LOG.info("switchboard: dev mode: generated VAPID keys for Web Push (public key {}), kept in {}", keys[0], file);
      }
      Config withKeys = config.with(ConfigKey.VAPID_PUBLIC_KEY, keys[0]).with(ConfigKey.VAPID_PRIVATE_KEY, keys[1]);
      return config.isSet(ConfigKey.VAPID_SUBJECT) ? withKeys : withKeys.with(ConfigKey.VAPID_SUBJECT, "mailto:dev@localhost");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("dev mode: cannot keep the development VAPID keys in " + file + ": " + e.getMessage(), e);
    }
  }

  private static String devSecret(Path dataDir) {
    Path file = dataDir.resolve("dev-jwt-secret");
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(dataDir);
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.writeString(file, secret);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("dev mode: cannot keep the development secret in " + file, e);
    }
  }
}
