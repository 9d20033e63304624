package io.switchboard.gateway.adminui;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import java.util.regex.Pattern;

/**
 * The Socket.IO Admin UI's namespace: whether it is open, who may log in (a user name and the bcrypt
 * hash of a password, as the official {@code instrument(io, {auth: {type: "basic", ...}})} takes
 * them) and whether it may act on sockets. Enabled without a valid hash is a configuration error,
 * never an open door.
 */
public record AdminUiSettings(boolean enabled, String username, String passwordHash, boolean readonly) {
  /** bcrypt's modular crypt format: version, two-digit cost, 22 characters of salt and 31 of hash. */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}");

  public AdminUiSettings {
    if (enabled) {
      if (username == null || username.isBlank()) {
        throw new IllegalArgumentException("gateway: " + ConfigKey.ADMIN_UI_ENABLED.env() + " needs "
            + ConfigKey.ADMIN_UI_USERNAME.env());
      }
      if (passwordHash == null || !BCRYPT.matcher(passwordHash.trim()).matches()) {
        throw new IllegalArgumentException("gateway: " + ConfigKey.ADMIN_UI_ENABLED.env() + " needs "
            + ConfigKey.ADMIN_UI_PASSWORD_HASH.env() + ", a bcrypt hash ($2a$, $2b$ or $2y$ with its cost, salt and hash)");
      }
      passwordHash = passwordHash.trim();
    }
  }

  public static AdminUiSettings from(Config config) {
    return new AdminUiSettings(config.bool(ConfigKey.ADMIN_UI_ENABLED), config.string(ConfigKey.ADMIN_UI_USERNAME),
        config.string(ConfigKey.ADMIN_UI_PASSWORD_HASH), config.bool(ConfigKey.ADMIN_UI_READONLY));
  }
}
