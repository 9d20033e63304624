package io.switchboard.socketio.engine;

import io.switchboard.socketio.SessionAdmission;
import io.switchboard.socketio.SocketIoOptions;
import java.util.List;

/**
 * The Engine.IO settings and the session admission policy, copied once from {@link SocketIoOptions}
 * so later changes have no effect.
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
    SessionAdmission admission) {

  public static EngineConfig of(SocketIoOptions o) {
    return new EngineConfig(o.pingIntervalMs(), o.pingTimeoutMs(), o.maxPayload(), o.upgradeTimeoutMs(),
        o.pollingEnabled(), o.websocketEnabled(), List.copyOf(o.corsOrigins()), o.corsCredentials(),
        o.pollingQueueLimit(), o.websocketBacklogLimit(), o.sessionAdmission());
  }

  String openPacket(String sid, boolean upgradable) {
    return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgradable ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + pingIntervalMs + ",\"pingTimeout\":" + pingTimeoutMs
        + ",\"maxPayload\":" + maxPayload + "}";
  }
}
