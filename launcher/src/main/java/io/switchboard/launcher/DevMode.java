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

/**
 * Decides dev mode: on when no JWT secret or key is configured (and {@code SWITCHBOARD_DEV_MODE} is
 * not {@code off}), never when one is. In dev mode the gateway signs and accepts tokens with a
 * development secret kept in the data directory, and offers {@code /dev/token}: to this machine only
 * ({@code local}) when dev mode just followed from a missing key, to every address ({@code on}) only
 * when it was asked for. A missing or empty secret therefore never lets another machine mint tokens.
 * A cluster never runs in dev mode: its gateways must share a real key.
 */
final class DevMode {
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
    return config.with(ConfigKey.DEV_MODE, resolved).with(ConfigKey.JWT_SECRET, devSecret(dataDir));
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
