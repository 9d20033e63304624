package io.switchboard.gateway;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.auth.DevTokens;
import io.switchboard.gateway.auth.TokenVerifier.AuthSettings;
import io.switchboard.gateway.admission.RateLimiter;
import io.switchboard.gateway.presence.PresenceSettings;
import java.util.List;

/** What the gateway needs from the configuration, checked once at start. */
public record GatewayConfig(
    String host,
    int port,
    int opsPort,
    int instances,
    AuthSettings auth,
    DevTokens.Access devTokens,
    String serviceToken,
    String adminToken,
    int memoryThresholdPercent,
    int maxConnections,
    int maxConnectionsPerIp,
    int maxConnectionsPerTenant,
    int connectFailuresPerIp,
    int maxRoomsPerSocket,
    RateLimiter.Settings rates,
    List<String> corsOrigins,
    List<String> objectStoreOrigins,
    long pingIntervalMs,
    long pingTimeoutMs,
    int maxPayloadBytes,
    long connectTimeoutMs,
    WsCompression wsCompression,
    RecoveryOffsets recoveryOffsets,
    HttpTimeouts http,
    int maxBodyChars,
    int maxMetaBytes,
    int recoveryMaxMessages,
    long requestTimeoutMs,
    long drainSpreadMs,
    long reorderWindowMs,
    int warmupConnections,
    PresenceSettings presence,
    io.switchboard.gateway.calls.CallSettings calls,
    io.switchboard.gateway.adminui.AdminUiSettings adminUi) {

  /**
   * Who gets connection state recovery, and so a pid and an offset appended to each event: only the
   * sockets that ask (the default: a client whose handlers take the documented arguments must not
   * get an extra one), every socket (as the reference server), or none.
   */
  public enum RecoveryOffsets {
    OPT_IN("opt-in"), ALL("all"), OFF("off");

    private final String value;

    RecoveryOffsets(String value) {
      this.value = value;
    }

    public static RecoveryOffsets of(String value) {
      for (RecoveryOffsets mode : values()) {
        if (mode.value.equals(value.trim().toLowerCase(java.util.Locale.ROOT))) {
          return mode;
        }
      }
      throw new IllegalArgumentException("gateway: " + ConfigKey.RECOVERY_OFFSETS.env()
          + " must be opt-in, all or off, got '" + value + "'");
    }
  }

  /** permessage-deflate on the WebSocket: whether it is offered, from how many bytes, at which level. */
  public record WsCompression(boolean enabled, int thresholdBytes, int level) {
    public WsCompression {
      if (thresholdBytes < 0) {
        throw new IllegalArgumentException("gateway: " + ConfigKey.WS_COMPRESSION_THRESHOLD_BYTES.env()
            + " must be 0 or more, got " + thresholdBytes);
      }
      if (level < 1 || level > 9) {
        throw new IllegalArgumentException("gateway: " + ConfigKey.WS_COMPRESSION_LEVEL.env()
            + " must be 1 to 9, got " + level);
      }
    }
  }

  /** The deadlines of the gateway's HTTP connections, in ms; 0 turns one off. */
  public record HttpTimeouts(long idleMs, long headerMs, long bodyMs) {}

  public static GatewayConfig from(Config config) {
    AuthSettings auth = new AuthSettings(config.string(ConfigKey.JWT_SECRET), config.string(ConfigKey.JWT_PUBLIC_KEY),
        config.string(ConfigKey.JWT_ALGORITHM), config.string(ConfigKey.JWT_JWKS),
        config.string(ConfigKey.JWT_ISSUER), config.string(ConfigKey.JWT_AUDIENCE),
        config.integer(ConfigKey.JWT_CLOCK_SKEW_SECONDS), config.longValue(ConfigKey.JWT_MAX_LIFETIME_SECONDS),
        config.longValue(ConfigKey.JWT_JWKS_REFRESH_SECONDS));
    long pingIntervalMs = config.longValue(ConfigKey.PING_INTERVAL_MS);
    long pingTimeoutMs = config.longValue(ConfigKey.PING_TIMEOUT_MS);
    HttpTimeouts http = new HttpTimeouts(config.longValue(ConfigKey.HTTP_IDLE_TIMEOUT_MS),
        config.longValue(ConfigKey.HTTP_HEADER_TIMEOUT_MS), config.longValue(ConfigKey.HTTP_BODY_TIMEOUT_MS));
    // A long-poll is held up to a ping interval without a byte either way, and a client's pong may
    // take up to the ping timeout: an idle timeout within that would cut healthy polling sessions.
    if (http.idleMs() > 0 && http.idleMs() <= pingIntervalMs + pingTimeoutMs) {
      throw new IllegalArgumentException("gateway: " + ConfigKey.HTTP_IDLE_TIMEOUT_MS.env() + " (" + http.idleMs()
          + ") must be 0 or more than " + ConfigKey.PING_INTERVAL_MS.env() + " + " + ConfigKey.PING_TIMEOUT_MS.env()
          + " (" + (pingIntervalMs + pingTimeoutMs) + ")");
    }
    return new GatewayConfig(
        config.string(ConfigKey.HTTP_HOST),
        config.integer(ConfigKey.HTTP_PORT),
        config.integer(ConfigKey.GATEWAY_OPS_PORT),
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        auth,
        devTokens(config.string(ConfigKey.DEV_MODE)),
        config.string(ConfigKey.SERVICE_TOKEN),
        config.string(ConfigKey.ADMIN_TOKEN),
        config.integer(ConfigKey.MEMORY_THRESHOLD_PERCENT),
        config.integer(ConfigKey.MAX_CONNECTIONS),
        config.integer(ConfigKey.MAX_CONNECTIONS_PER_IP),
        config.integer(ConfigKey.MAX_CONNECTIONS_PER_TENANT),
        config.integer(ConfigKey.CONNECT_FAILURES_PER_IP),
        config.integer(ConfigKey.MAX_ROOMS_PER_SOCKET),
        RateLimiter.Settings.from(config),
        config.list(ConfigKey.CORS_ORIGINS),
        io.switchboard.gateway.http.SecurityHeaders.objectStoreOrigins(config),
        pingIntervalMs,
        pingTimeoutMs,
        config.integer(ConfigKey.MAX_PAYLOAD_BYTES),
        config.longValue(ConfigKey.CONNECT_TIMEOUT_MS),
        new WsCompression(config.bool(ConfigKey.WS_COMPRESSION), config.integer(ConfigKey.WS_COMPRESSION_THRESHOLD_BYTES),
            config.integer(ConfigKey.WS_COMPRESSION_LEVEL)),
        RecoveryOffsets.of(config.string(ConfigKey.RECOVERY_OFFSETS)),
        http,
        config.integer(ConfigKey.MAX_BODY_CHARS),
        config.integer(ConfigKey.MAX_META_BYTES),
        config.integer(ConfigKey.RECOVERY_MAX_MESSAGES),
        config.longValue(ConfigKey.REQUEST_TIMEOUT_MS),
        config.longValue(ConfigKey.DRAIN_SPREAD_MS),
        config.longValue(ConfigKey.REORDER_WINDOW_MS),
        config.integer(ConfigKey.WARMUP_CONNECTIONS),
        PresenceSettings.from(config),
        io.switchboard.gateway.calls.CallSettings.from(config),
        io.switchboard.gateway.adminui.AdminUiSettings.from(config));
  }

  /**
   * Who gets development tokens: the launcher resolves {@code SWITCHBOARD_DEV_MODE} to {@code on}
   * (asked for: every address), {@code local} (no key configured: this machine only) or {@code off}.
   */
  private static DevTokens.Access devTokens(String resolvedDevMode) {
    return switch (resolvedDevMode) {
      case DEV_MODE_ON -> DevTokens.Access.ANY;
      case DEV_MODE_LOCAL -> DevTokens.Access.LOOPBACK;
      default -> DevTokens.Access.NONE;
    };
  }

  /** Resolved dev-mode values (see {@link #devTokens}). */
  public static final String DEV_MODE_ON = "on";
  public static final String DEV_MODE_LOCAL = "local";
}
