package io.switchboard.socketio.engine;

import io.switchboard.socketio.SessionAdmission;
import io.switchboard.socketio.SocketIoOptions;
import java.util.List;

/**
 * The Engine.IO settings and the session admission policy, copied once from {@link SocketIoOptions}
 * so later changes have no effect. {@code deflation} is null when WebSocket compression is off.
 */
public record EngineConfig(
    long pingIntervalMs,
    long pingTimeoutMs,
    int maxPayload,
    long upgradeTimeoutMs,
    boolean pollingEnabled,
    boolean websocketEnabled,
    List<String> corsOrigins,
    boolean corsCredentials,
    int pollingQueueLimit,
    int websocketBacklogLimit,
    SessionAdmission admission,
    Deflation deflation) {

  public static EngineConfig of(SocketIoOptions o) {
    return new EngineConfig(o.pingIntervalMs(), o.pingTimeoutMs(), o.maxPayload(), o.upgradeTimeoutMs(),
        o.pollingEnabled(), o.websocketEnabled(), List.copyOf(o.corsOrigins()), o.corsCredentials(),
        o.pollingQueueLimit(), o.websocketBacklogLimit(), o.sessionAdmission(),
        o.websocketCompression() ? new Deflation(o.compressionThreshold(), o.compressionLevel(), o.maxPayload()) : null);
  }

  String openPacket(String sid, boolean upgradable) {
    return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgradable ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + pingIntervalMs + ",\"pingTimeout\":" + pingTimeoutMs
        + ",\"maxPayload\":" + maxPayload + "}";
  }
}
