package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Dev mode")
class DevModeTest {
  @TempDir
  Path dataDir;

  @Test
  @DisplayName("follows from a missing key only for this machine; every address only when asked for")
  void scope() {
    assertEquals("local", DevMode.resolve(Config.defaults(), dataDir).string(ConfigKey.DEV_MODE));
    assertEquals("on", DevMode.resolve(Config.defaults().with(ConfigKey.DEV_MODE, "on"), dataDir).string(ConfigKey.DEV_MODE));
  }

  @Test
  @DisplayName("is off whenever a key is configured, and refuses to be forced on beside one")
  void realKey() {
    Config keyed = Config.defaults().with(ConfigKey.JWT_SECRET, "a-real-secret-a-real-secret-0123");
    assertEquals("off", DevMode.resolve(keyed, dataDir).string(ConfigKey.DEV_MODE));
    assertEquals("a-real-secret-a-real-secret-0123", DevMode.resolve(keyed, dataDir).string(ConfigKey.JWT_SECRET));
    assertThrows(IllegalArgumentException.class, () -> DevMode.resolve(keyed.with(ConfigKey.DEV_MODE, "on"), dataDir));
  }

  @Test
  @DisplayName("never runs in a cluster, and off without a key refuses to start")
  void failsClosed() {
    assertThrows(IllegalArgumentException.class, () -> DevMode.resolve(Config.defaults().with(ConfigKey.CLUSTER, true), dataDir));
    assertThrows(IllegalArgumentException.class, () -> DevMode.resolve(Config.defaults().with(ConfigKey.DEV_MODE, "off"), dataDir));
    assertThrows(IllegalArgumentException.class, () -> DevMode.resolve(Config.defaults().with(ConfigKey.DEV_MODE, "local"), dataDir),
        "the resolved value is not a setting");
  }

  @Test
  @DisplayName("keeps its development secret private to the user")
  void secretFile() throws Exception {
    DevMode.resolve(Config.defaults(), dataDir);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("dev-jwt-secret"))));
  }
}
