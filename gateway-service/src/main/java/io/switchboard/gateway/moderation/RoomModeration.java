package io.switchboard.gateway.moderation;

import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What this gateway node knows of the moderation of the rooms its sockets are in: who is muted until
 * when. message-service decides (its batched write refuses a muted member's message); this lets the
 * node refuse such a send at once, before the room sees an optimistic copy of it, and spares
 * message-service the round trip. The node learns it from the joins (the joiner's own mute), from
 * the room's events as they pass in seq order ({@code room-member-muted}, {@code -unmuted}), and from
 * message-service's refusals; a mute ends by itself at its end.
 *
 * <p>Memory: nothing per socket, nothing for a room without moderation state. A room's state is made
 * by its first mute known here and dropped once it holds nothing live, or once the room has no
 * socket on this node ({@link #sweep}). Thread-safe: sends are answered on every event loop, the
 * fan-out on its own; the common case, no moderation anywhere on the node, is one map's emptiness.
 */
public final class RoomModeration {
  /** The events of the rooms' changes that move this state, as the fan-out delivers them. */
  public static final Set<String> EVENTS = Set.of(ClientEvents.MEMBER_MUTED, ClientEvents.MEMBER_UNMUTED);

  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final Predicate<String> hasLocalSockets;
  private final LongSupplier clock;

  /** A mute's end, in epoch ms and as message-service wrote it (ISO-8601). */
  private record Until(long epochMs, String iso) {}

  /** One room's moderation state: the members muted, by user id (a room's users are of its tenant). */
  private static final class Room {
    final Map<String, Until> muted = new ConcurrentHashMap<>();

    boolean empty() {
      return muted.isEmpty();
    }
  }

  /** {@code hasLocalSockets}: whether a room (by id) has sockets on this node. */
  public RoomModeration(Predicate<String> hasLocalSockets) {
    this(hasLocalSockets, System::currentTimeMillis);
  }

  RoomModeration(Predicate<String> hasLocalSockets, LongSupplier clock) {
    this.hasLocalSockets = hasLocalSockets;
    this.clock = clock;
  }

  /**
   * Why a send of {@code userId} into {@code roomId} would be refused now, as message-service would
   * answer it ({@code FORBIDDEN} with {@code mutedUntil} and {@code retryAfterMs}); null when this
   * node knows no reason.
   */
  public ServiceException refusal(String roomId, String userId) {
    if (rooms.isEmpty()) {
      return null;
    }
    Room room = rooms.get(roomId);
    Until until = room == null ? null : room.muted.get(userId);
    if (until == null) {
      return null;
    }
    long left = until.epochMs() - clock.getAsLong();
    if (left <= 0) {
      room.muted.remove(userId, until);
      return null;
    }
    return new ServiceException(ErrorCode.FORBIDDEN, "muted in this room until " + until.iso(),
        new JsonObject().put("mutedUntil", until.iso()).put("retryAfterMs", left));
  }

  /** {@code userId} is muted in {@code roomId} until {@code iso} (ISO-8601; null: not muted). */
  public void muted(String roomId, String userId, String iso) {
    if (iso == null) {
      unmuted(roomId, userId);
      return;
    }
    long end = Instant.parse(iso).toEpochMilli();
    if (end > clock.getAsLong()) {
      // Atomic with the sweep, which drops a room in the same way.
      rooms.compute(roomId, (id, room) -> {
        Room state = room == null ? new Room() : room;
        state.muted.put(userId, new Until(end, iso));
        return state;
      });
    } else {
      unmuted(roomId, userId);
    }
  }

  public void unmuted(String roomId, String userId) {
    rooms.computeIfPresent(roomId, (id, room) -> {
      room.muted.remove(userId);
      return room.empty() ? null : room;
    });
  }

  /** Learns from a refusal of message-service: a mute this node did not know yet. */
  public void refused(String roomId, String userId, Throwable failure) {
    JsonObject extra = ServiceException.extraOf(failure);
    if (extra != null && ServiceException.codeOf(failure) == ErrorCode.FORBIDDEN && extra.getString("mutedUntil") != null) {
      muted(roomId, userId, extra.getString("mutedUntil"));
    }
  }

  /**
   * A change of a room, in the room's seq order ({@link #EVENTS}); only rooms with sockets here
   * take state from it. From the fan-out's event loop.
   */
  public void changed(RoomEvent event) {
    String prefix = ClientEvents.chatRoom("");
    if (event.room() == null || !event.room().startsWith(prefix)) {
      return;
    }
    String roomId = event.room().substring(prefix.length());
    JsonObject data = json(event.data());
    String userId = data.getString("userId");
    if (userId == null) {
      return;
    }
    switch (event.event()) {
      case ClientEvents.MEMBER_MUTED -> {
        if (hasLocalSockets.test(roomId)) {
          muted(roomId, userId, data.getString("mutedUntil"));
        }
      }
      case ClientEvents.MEMBER_UNMUTED -> unmuted(roomId, userId);
      default -> { }
    }
  }

  /** Drops what ended and the rooms without sockets on this node any more; called periodically. */
  public void sweep() {
    long now = clock.getAsLong();
    for (String roomId : rooms.keySet()) {
      boolean here = hasLocalSockets.test(roomId);
      rooms.computeIfPresent(roomId, (id, room) -> {
        room.muted.values().removeIf(until -> until.epochMs() <= now);
        return room.empty() || !here ? null : room;
      });
    }
  }

  /** Rooms with state, for tests. */
  int rooms() {
    return rooms.size();
  }

  /** An event's data: a JSON object, or its text when it came from another cluster member. */
  private static JsonObject json(Object data) {
    if (data instanceof JsonObject object) {
      return object;
    }
    return data instanceof RawValue raw ? new JsonObject(String.valueOf(raw.rawValue())) : new JsonObject();
  }
}
