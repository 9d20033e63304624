package io.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's configuration")
class GatewayConfigTest {
  private static Config withSecret() {
    return Config.defaults().with(ConfigKey.JWT_SECRET, "a-secret-of-enough-length-for-hs256-signing");
  }

  @Test
  @DisplayName("defaults bound what an unauthenticated peer holds: a connect deadline, HTTP read deadlines, an idle timeout longer than a long-poll")
  void defaults() {
    GatewayConfig config = GatewayConfig.from(withSecret());
    assertEquals(10_000, config.connectTimeoutMs());
    assertEquals(new GatewayConfig.HttpTimeouts(60_000, 10_000, 20_000), config.http());
    assertTrue(config.http().idleMs() > config.pingIntervalMs() + config.pingTimeoutMs());
    assertEquals(256 * 1024, config.maxPayloadBytes());
    assertEquals(30, config.connectFailuresPerIp());
    assertEquals(new GatewayConfig.WsCompression(false, 1024, 6), config.wsCompression());
    assertEquals(GatewayConfig.RecoveryOffsets.OPT_IN, config.recoveryOffsets());
  }

  @Test
  @DisplayName("RECOVERY_OFFSETS: opt-in, all or off; anything else is refused at start")
  void recoveryOffsets() {
    assertEquals(GatewayConfig.RecoveryOffsets.ALL,
        GatewayConfig.from(withSecret().with(ConfigKey.RECOVERY_OFFSETS, "all")).recoveryOffsets());
    assertEquals(GatewayConfig.RecoveryOffsets.OFF,
        GatewayConfig.from(withSecret().with(ConfigKey.RECOVERY_OFFSETS, "off")).recoveryOffsets());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> GatewayConfig.from(withSecret().with(ConfigKey.RECOVERY_OFFSETS, "yes")));
    assertTrue(refused.getMessage().contains("RECOVERY_OFFSETS"), refused.getMessage());
  }

  @Test
  @DisplayName("WebSocket compression: on with its threshold and level; a level outside 1 to 9 is refused at start")
  void wsCompression() {
    GatewayConfig on = GatewayConfig.from(withSecret().with(ConfigKey.WS_COMPRESSION, "on")
        .with(ConfigKey.WS_COMPRESSION_THRESHOLD_BYTES, 2048).with(ConfigKey.WS_COMPRESSION_LEVEL, 1));
    assertEquals(new GatewayConfig.WsCompression(true, 2048, 1), on.wsCompression());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> GatewayConfig.from(withSecret().with(ConfigKey.WS_COMPRESSION_LEVEL, 0)));
    assertTrue(refused.getMessage().contains("WS_COMPRESSION_LEVEL"), refused.getMessage());
  }

  @Test
  @DisplayName("an idle timeout that would cut a held long-poll or a late pong is refused at start; 0 turns it off")
  void idleTimeoutBelowTheHeartbeat() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> GatewayConfig.from(withSecret().with(ConfigKey.HTTP_IDLE_TIMEOUT_MS, 30_000)));
    assertTrue(refused.getMessage().contains("HTTP_IDLE_TIMEOUT_MS"), refused.getMessage());
    assertEquals(0, GatewayConfig.from(withSecret().with(ConfigKey.HTTP_IDLE_TIMEOUT_MS, 0)).http().idleMs());
  }
}
