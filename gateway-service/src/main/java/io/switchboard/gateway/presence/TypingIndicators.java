package io.switchboard.gateway.presence;

import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.fanout.Fanout;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code user-typing} across nodes, without storage: the typer's node forwards {@code isTyping: true}
 * to the room (a refresh at most once a second), and sends {@code isTyping: false} when the client
 * says so, leaves the room, disconnects, or stops refreshing for the expiry (5 s). The state of a
 * connection lives on its node and is touched only from the connection's event loop; a node that
 * dies takes its indicators with it, and receivers expire them on their own after 5 s as the
 * contract says.
 */
final class TypingIndicators {
  private static final long REFRESH_FORWARD_MS = 1000;

  private final Vertx vertx;
  private final Fanout fanout;
  private final long expiryMs;
  /** Connection id to its rooms being typed in; the inner map belongs to the connection's event loop. */
  private final Map<String, Map<String, Typing>> byConnection = new ConcurrentHashMap<>();

  private static final class Typing {
    long timer;
    long forwardedAt;
  }

  TypingIndicators(Vertx vertx, Fanout fanout, long expiryMs) {
    this.vertx = vertx;
    this.fanout = fanout;
    this.expiryMs = expiryMs;
  }

  void typing(String connectionId, Sender user, String roomId, boolean isTyping) {
    if (!isTyping) {
      stop(connectionId, user, roomId);
      return;
    }
    Map<String, Typing> rooms = byConnection.computeIfAbsent(connectionId, id -> new HashMap<>());
    Typing typing = rooms.get(roomId);
    long now = System.currentTimeMillis();
    if (typing == null) {
      typing = new Typing();
      rooms.put(roomId, typing);
    } else {
      vertx.cancelTimer(typing.timer);
    }
    if (now - typing.forwardedAt >= REFRESH_FORWARD_MS) {
      typing.forwardedAt = now;
      publish(connectionId, user, roomId, true);
    }
    typing.timer = vertx.setTimer(expiryMs, t -> stop(connectionId, user, roomId));
  }

  /** The connection stopped typing in the room (said so, left, or expired); announced if it was typing. */
  void stop(String connectionId, Sender user, String roomId) {
    Map<String, Typing> rooms = byConnection.get(connectionId);
    Typing typing = rooms == null ? null : rooms.remove(roomId);
    if (typing == null) {
      return;
    }
    vertx.cancelTimer(typing.timer);
    if (rooms.isEmpty()) {
      byConnection.remove(connectionId);
    }
    publish(connectionId, user, roomId, false);
  }

  /** The connection closed: every room it was typing in hears it stopped. */
  void stopAll(String connectionId, Sender user) {
    Map<String, Typing> rooms = byConnection.get(connectionId);
    if (rooms != null) {
      for (String roomId : rooms.keySet().toArray(String[]::new)) {
        stop(connectionId, user, roomId);
      }
    }
  }

  private void publish(String connectionId, Sender user, String roomId, boolean isTyping) {
    // Hidden, like their messages, from those who block the typer.
    fanout.publish(new RoomEvent(ClientEvents.chatRoom(roomId), ClientEvents.USER_TYPING, new JsonObject()
        .put("roomId", roomId).put("userId", user.userId()).put("isTyping", isTyping), connectionId)
        .from(ClientEvents.userRoom(user.tenant(), user.userId())));
  }
}
