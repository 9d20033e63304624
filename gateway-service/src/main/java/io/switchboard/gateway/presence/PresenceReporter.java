package io.switchboard.gateway.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.PresenceUpdate.Kind;
import io.vertx.core.eventbus.EventBus;

/**
 * Tells presence-service what happens to this node's connections. Fire-and-forget: presence is
 * eventually consistent, and chat must keep working when presence-service or Redis is down.
 */
public final class PresenceReporter {
  private final EventBus bus;
  private final String nodeId;

  public PresenceReporter(EventBus bus, String nodeId) {
    this.bus = bus;
    this.nodeId = nodeId;
  }

  public void connected(String connectionId, Sender user) {
    report(Kind.CONNECTED, connectionId, user, null);
  }

  public void disconnected(String connectionId, Sender user) {
    report(Kind.DISCONNECTED, connectionId, user, null);
  }

  public void joined(String connectionId, Sender user, String roomId) {
    report(Kind.JOINED, connectionId, user, roomId);
  }

  public void left(String connectionId, Sender user, String roomId) {
    report(Kind.LEFT, connectionId, user, roomId);
  }

  private void report(Kind kind, String connectionId, Sender user, String roomId) {
    bus.send(Addresses.PRESENCE_UPDATE, new PresenceUpdate(kind, nodeId, connectionId, user.tenant(), user.userId(),
        roomId, System.currentTimeMillis()));
  }
}
