package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  @DisplayName("makes VAPID keys for Web Push once and keeps them (private to the user); never outside dev mode, never over configured ones")
  void vapidKeys() throws Exception {
    Config first = DevMode.resolve(Config.defaults(), dataDir);
    io.switchboard.message.webhooks.PushSettings push = io.switchboard.message.webhooks.PushSettings.from(first);
    assertTrue(push.enabled(), "a real pair, with a subject");
    assertEquals("mailto:dev@localhost", push.subject());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("dev-vapid-keys"))));
    Config again = DevMode.resolve(Config.defaults(), dataDir);
    assertEquals(first.string(ConfigKey.VAPID_PUBLIC_KEY), again.string(ConfigKey.VAPID_PUBLIC_KEY), "browsers' subscriptions outlive a restart");
    assertEquals(first.string(ConfigKey.VAPID_PRIVATE_KEY), again.string(ConfigKey.VAPID_PRIVATE_KEY));

    Config keyed = Config.defaults().with(ConfigKey.JWT_SECRET, "a-real-secret-a-real-secret-0123");
    assertEquals("", DevMode.resolve(keyed, dataDir).string(ConfigKey.VAPID_PUBLIC_KEY), "outside dev mode empty keys leave push off");
    String[] own = io.switchboard.message.webhooks.PushSettings.generate();
    Config configured = Config.defaults().with(ConfigKey.VAPID_PUBLIC_KEY, own[0]).with(ConfigKey.VAPID_PRIVATE_KEY, own[1]);
    assertEquals(own[0], DevMode.resolve(configured, dataDir).string(ConfigKey.VAPID_PUBLIC_KEY));
  }
}
