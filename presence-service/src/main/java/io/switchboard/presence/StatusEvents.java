package io.switchboard.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes {@code user-status-changed {userId, status, lastSeen, awaySince?}} for each transition the
 * store decided: one fan-out event to the user's private room and the rooms the user is in, so a
 * socket in several of them receives it once. {@code lastSeen} is the time of the transition
 * (ISO-8601), {@code awaySince} the same time when the status is away. Connects and disconnects (not
 * away and back) also go to message-service for the tenant's webhooks ({@code webhooks.user.status}).
 */
final class StatusEvents {
  private final EventBus bus;
  private final PresenceMetrics metrics;

  StatusEvents(EventBus bus, PresenceMetrics metrics) {
    this.bus = bus;
    this.metrics = metrics;
  }

  void publish(List<StatusChange> changes) {
    changes.forEach(this::publish);
  }

  private void publish(StatusChange change) {
    metrics.announced(change);
    List<String> rooms = new ArrayList<>(change.rooms().size() + 1);
    rooms.add(ClientEvents.userRoom(change.tenant(), change.userId()));
    change.rooms().forEach(room -> rooms.add(ClientEvents.chatRoom(room)));
    JsonObject payload = new JsonObject()
        .put("userId", change.userId())
        .put("status", change.status().wire())
        .put("lastSeen", Instant.ofEpochMilli(change.at()).toString());
    if (change.status() == StatusChange.Status.AWAY) {
      payload.put("awaySince", payload.getString("lastSeen"));
    }
    bus.publish(Addresses.GATEWAY_FANOUT, RoomEvent.toRooms(rooms, ClientEvents.USER_STATUS_CHANGED, payload));
    if (!change.status().connectivity()) {
      return;
    }
    // The tenant's webhooks (user.online, user.offline): one message-service instance takes it.
    bus.send(Addresses.WEBHOOKS_USER_STATUS, new JsonObject().put("tenant", change.tenant()).put("userId", change.userId())
        .put("status", change.status().wire()).put("at", payload.getString("lastSeen")));
  }
}
