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
 * when, and in slow mode when a member's last message was stored. message-service decides (its
 * batched write refuses a muted member's message, or one too early); this lets the node refuse such
 * a send at once, before the room sees an optimistic copy of it, and spares message-service the round
 * trip. The node learns mutes from the joins (the joiner's own mute), from the room's events as they
 * pass in seq order ({@code room-member-muted}, {@code -unmuted}), and from message-service's
 * refusals; a mute ends by itself at its end. It learns slow mode from message-service's answers to
 * the sends of its own sockets (a stored message says the slow mode that applies to its sender, so
 * the node needs no roles: owners and admins are exempt, and their answers say none), from its
 * refusals, and from the room's events ({@code room-updated} changes the slow mode,
 * {@code room-member-role-changed} may exempt a member). A member's send through another gateway is
 * not known here: message-service refuses the next one, and the room gets {@code room-message-failed}
 * for its copy.
 *
 * <p>Memory: nothing per socket, nothing for a room without moderation state. A room's state is made
 * by its first mute known here and dropped once it holds nothing live, or once the room has no
 * socket on this node ({@link #sweep}). Thread-safe: sends are answered on every event loop, the
 * fan-out on its own; the common case, no moderation anywhere on the node, is one map's emptiness.
 */
public final class RoomModeration {
  /** The events of the rooms' changes that move this state, as the fan-out delivers them. */
  public static final Set<String> EVENTS = Set.of(ClientEvents.MEMBER_MUTED, ClientEvents.MEMBER_UNMUTED,
      ClientEvents.ROOM_UPDATED, ClientEvents.MEMBER_ROLE_CHANGED);

  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final Predicate<String> hasLocalSockets;
  private final LongSupplier clock;

  /** A mute's end, in epoch ms and as message-service wrote it (ISO-8601). */
  private record Until(long epochMs, String iso) {}

  /**
   * One room's moderation state, by user id (a room's users are of its tenant): the members muted;
   * in slow mode, its seconds and when the members it applies to last posted (epoch ms).
   */
  private static final class Room {
    final Map<String, Until> muted = new ConcurrentHashMap<>();
    final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    volatile int slowMode;

    boolean empty() {
      return muted.isEmpty() && lastSent.isEmpty();
    }

    /** When the member may post again in slow mode; 0: now. */
    long nextSend(String userId) {
      Long last = lastSent.get(userId);
      int seconds = slowMode;
      return last == null || seconds <= 0 ? 0 : last + seconds * 1000L;
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
    if (room == null) {
      return null;
    }
    long now = clock.getAsLong();
    Until until = room.muted.get(userId);
    if (until != null) {
      long left = until.epochMs() - now;
      if (left > 0) {
        return new ServiceException(ErrorCode.FORBIDDEN, "muted in this room until " + until.iso(),
            new JsonObject().put("mutedUntil", until.iso()).put("retryAfterMs", left));
      }
      room.muted.remove(userId, until);
    }
    long wait = room.nextSend(userId) - now;
    if (wait > 0) {
      return new ServiceException(ErrorCode.SLOW_MODE, "slow mode: one message per " + room.slowMode + " s",
          new JsonObject().put("retryAfterMs", wait).put("slowMode", room.slowMode));
    }
    return null;
  }

  /**
   * A message of {@code userId} was stored at {@code createdAt} (ISO-8601); {@code slowMode} is the
   * room's slow mode when it applies to them (0: it does not).
   */
  public void sent(String roomId, String userId, String createdAt, int slowMode) {
    if (slowMode > 0) {
      paced(roomId, userId, Instant.parse(createdAt).toEpochMilli(), slowMode);
    } else if (!rooms.isEmpty()) {
      Room room = rooms.get(roomId);
      if (room != null) {
        room.lastSent.remove(userId);
      }
    }
  }

  private void paced(String roomId, String userId, long lastSent, int slowMode) {
    rooms.compute(roomId, (id, room) -> {
      Room state = room == null ? new Room() : room;
      state.slowMode = slowMode;
      state.lastSent.put(userId, lastSent);
      return state;
    });
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

  /** Learns from a refusal of message-service: a mute, or a wait in slow mode, this node did not know yet. */
  public void refused(String roomId, String userId, Throwable failure) {
    JsonObject extra = ServiceException.extraOf(failure);
    if (extra == null) {
      return;
    }
    ErrorCode code = ServiceException.codeOf(failure);
    if (code == ErrorCode.FORBIDDEN && extra.getString("mutedUntil") != null) {
      muted(roomId, userId, extra.getString("mutedUntil"));
    } else if (code == ErrorCode.SLOW_MODE && extra.getInteger("slowMode", 0) > 0) {
      int seconds = extra.getInteger("slowMode");
      paced(roomId, userId, clock.getAsLong() + extra.getLong("retryAfterMs", 0L) - seconds * 1000L, seconds);
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
    boolean mute = ClientEvents.MEMBER_MUTED.equals(event.event());
    Room room = rooms.get(roomId);
    if (mute ? !hasLocalSockets.test(roomId) : room == null) {
      // Only a mute makes state; the other changes move state that exists.
      return;
    }
    JsonObject data = json(event.data());
    if (event.event().startsWith("room-member-mu") && data.getString("userId") == null) {
      return;
    }
    switch (event.event()) {
      case ClientEvents.MEMBER_MUTED -> muted(roomId, data.getString("userId"), data.getString("mutedUntil"));
      case ClientEvents.MEMBER_UNMUTED -> unmuted(roomId, data.getString("userId"));
      case ClientEvents.ROOM_UPDATED -> slowModeChanged(roomId, data.getInteger("slowMode", 0));
      case ClientEvents.MEMBER_ROLE_CHANGED -> {
        // An owner or admin now, slow mode no longer applies; a member now, message-service says when it does.
        for (Object change : data.getJsonArray("changes", new io.vertx.core.json.JsonArray())) {
          if (change instanceof JsonObject member) {
            room.lastSent.remove(member.getString("userId"));
          }
        }
      }
      default -> { }
    }
  }

  /** The room's slow mode is now {@code seconds} (0: off); from its room-updated event, or the ack of the change made here. */
  public void slowModeChanged(String roomId, int seconds) {
    Room room = rooms.get(roomId);
    if (room == null) {
      return;
    }
    room.slowMode = seconds;
    if (seconds == 0) {
      room.lastSent.clear();
    }
  }

  /** Drops what ended and the rooms without sockets on this node any more; called periodically. */
  public void sweep() {
    long now = clock.getAsLong();
    for (String roomId : rooms.keySet()) {
      boolean here = hasLocalSockets.test(roomId);
      rooms.computeIfPresent(roomId, (id, room) -> {
        room.muted.values().removeIf(until -> until.epochMs() <= now);
        room.lastSent.keySet().removeIf(userId -> room.nextSend(userId) <= now);
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
