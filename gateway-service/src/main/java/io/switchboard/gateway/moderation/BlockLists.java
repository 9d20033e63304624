package io.switchboard.gateway.moderation;

import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.socketio.Socket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Whom the users connected to this node block (docs/protocol.md, "Blocks"), for the fan-out to hide
 * a blocked user's messages from their blockers: an event that carries a user's message
 * ({@link RoomEvent#from}) skips the sockets of the users who block them, and where the event makes the
 * message durable (it has a seq), those sockets get a placeholder in its place, so their seqs have
 * no gap.
 *
 * <p>Cost: the fan-out asks {@link #blockersOf} for each event with a {@code from}; when nobody on
 * the node blocks anyone, that is one volatile read and an emptiness check. Memory: an entry per user
 * with blocks and sockets here (their blocked users and those sockets), nothing for anyone else.
 *
 * <p>Learnt from the joins (message-service tells whom the joiner blocks) and from
 * {@code user-blocks-changed}, which every node gets for every change. Changes are rare and
 * serialized here; the fan-out reads an immutable index. Thread-safe.
 */
public final class BlockLists {
  /** The events that carry a blocked user's content and make it durable: their blockers get a placeholder. */
  private static final Set<String> DURABLE = Set.of(ClientEvents.MESSAGE_CONFIRMED, ClientEvents.MESSAGE_CREATED);

  /** A user who blocks someone, by private room: whom (private rooms too), and their sockets on this node. */
  private static final class Blocker {
    final Set<String> blocked;
    final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    Blocker(Set<String> blocked) {
      this.blocked = blocked;
    }
  }

  private final Map<String, Blocker> blockers = new ConcurrentHashMap<>();
  /** By a blocked user's private room: the private rooms of the users here who block them. Rebuilt on each change. */
  private volatile Map<String, Set<String>> blockedBy = Map.of();
  private final Function<String, Collection<Socket>> socketsOf;

  /** {@code socketsOf}: a user's sockets on this node, by their private room (a scan, for the rare changes). */
  public BlockLists(Function<String, Collection<Socket>> socketsOf) {
    this.socketsOf = socketsOf;
  }

  /** The private rooms of the users on this node who block the user of {@code userRoom}; null when none. */
  public Set<String> blockersOf(String userRoom) {
    Map<String, Set<String>> index = blockedBy;
    return index.isEmpty() ? null : index.get(userRoom);
  }

  /**
   * A socket of the user of {@code userRoom} (tenant {@code tenant}) joined a room; message-service
   * said whom they block: kept (or forgotten, when none) before the socket is in the room.
   */
  public synchronized void joined(Socket socket, String userRoom, String tenant, List<String> blockedIds) {
    if (blockedIds.isEmpty()) {
      if (blockers.remove(userRoom) != null) {
        reindex();
      }
      return;
    }
    Set<String> blocked = rooms(tenant, blockedIds);
    Blocker known = blockers.get(userRoom);
    if (known == null || !known.blocked.equals(blocked)) {
      Blocker now = new Blocker(blocked);
      if (known != null) {
        now.sockets.addAll(known.sockets);
      }
      blockers.put(userRoom, now);
      reindex();
    }
    blockers.get(userRoom).sockets.add(socket);
  }

  /** A socket connected (recovered, or another device): if its user blocks someone, it is theirs. */
  public void connected(Socket socket, String userRoom) {
    Blocker blocker = blockers.get(userRoom);
    if (blocker != null) {
      blocker.sockets.add(socket);
    }
  }

  /** A socket closed; a user without sockets here any more is forgotten. */
  public synchronized void disconnected(Socket socket, String userRoom) {
    Blocker blocker = blockers.get(userRoom);
    if (blocker != null && blocker.sockets.remove(socket) && blocker.sockets.isEmpty()) {
      blockers.remove(userRoom);
      reindex();
    }
  }

  /** {@code user-blocks-changed} to a user's private room: whom they block now. From the fan-out's event loop. */
  public synchronized void changed(RoomEvent event) {
    String userRoom = event.room();
    if (userRoom == null || !userRoom.startsWith("user:")) {
      return;
    }
    Collection<Socket> sockets = socketsOf.apply(userRoom);
    JsonArray ids = json(event.data()).getJsonArray("blocked", new JsonArray());
    if (ids.isEmpty() || sockets.isEmpty()) {
      if (blockers.remove(userRoom) != null) {
        reindex();
      }
      return;
    }
    String tenant = userRoom.substring("user:".length(), userRoom.indexOf(':', "user:".length()));
    Blocker blocker = new Blocker(rooms(tenant, ids.stream().map(String::valueOf).toList()));
    blocker.sockets.addAll(sockets);
    blockers.put(userRoom, blocker);
    reindex();
  }

  /**
   * Gives the sockets of {@code blockerRooms} that the event targets a placeholder of the message it
   * makes durable, in its place: {@code room-message-created}, not optimistic, {@code hidden: true},
   * without body, meta or reply. Events that make nothing durable get none. Returns how many got one.
   */
  public int placeholders(RoomEvent event, Set<String> blockerRooms) {
    if (!event.sequenced() || !DURABLE.contains(event.event())) {
      return 0;
    }
    JsonObject placeholder = null;
    int sent = 0;
    for (String blockerRoom : blockerRooms) {
      Blocker blocker = blockers.get(blockerRoom);
      if (blocker == null) {
        continue;
      }
      for (Socket socket : blocker.sockets) {
        if (targeted(socket, event)) {
          placeholder = placeholder == null ? placeholder(event) : placeholder;
          socket.emit(ClientEvents.MESSAGE_CREATED, placeholder);
          sent++;
        }
      }
    }
    return sent;
  }

  private static boolean targeted(Socket socket, RoomEvent event) {
    return socket.connected() && socket.inRoom(event.room())
        && (event.exceptRoom() == null || !socket.inRoom(event.exceptRoom()))
        && !socket.id().equals(event.exceptSocketId());
  }

  /** The placeholder of the message a confirmation or a stored copy makes durable. */
  static JsonObject placeholder(RoomEvent event) {
    JsonObject data = json(event.data());
    boolean confirmation = ClientEvents.MESSAGE_CONFIRMED.equals(event.event());
    JsonObject message = confirmation ? data : data.getJsonObject("new", new JsonObject());
    String from = event.from();
    JsonObject hidden = new JsonObject().put("id", message.getString("id")).put("clientMsgId", null)
        .put("roomId", message.getString("roomId")).put("seq", message.getLong("seq"))
        .put("senderId", from.substring(from.indexOf(':', "user:".length()) + 1)).put("senderName", null)
        .put("body", "").put("replyTo", null).put("meta", null).put("createdAt", message.getString("createdAt"))
        .put("editedAt", null).put("deleted", false).put("hidden", true).put("tempId", null).put("optimistic", false);
    JsonObject envelope = Envelope.insert(hidden, Envelope.Source.GATEWAY);
    return confirmation ? envelope : envelope.put("source", data.getString("source", Envelope.Source.GATEWAY.wire()));
  }

  /** Users on this node who block someone, for tests and gauges. */
  int blockers() {
    return blockers.size();
  }

  private void reindex() {
    Map<String, Set<String>> index = new HashMap<>();
    blockers.forEach((blockerRoom, blocker) -> blocker.blocked.forEach(
        blocked -> index.computeIfAbsent(blocked, b -> new HashSet<>()).add(blockerRoom)));
    index.replaceAll((blocked, rooms) -> Set.copyOf(rooms));
    blockedBy = Map.copyOf(index);
  }

  private static Set<String> rooms(String tenant, List<String> userIds) {
    Set<String> rooms = new HashSet<>();
    userIds.forEach(id -> rooms.add(ClientEvents.userRoom(tenant, id)));
    return Set.copyOf(rooms);
  }

  private static JsonObject json(Object data) {
    if (data instanceof JsonObject object) {
      return object;
    }
    return data instanceof RawValue raw ? new JsonObject(String.valueOf(raw.rawValue())) : new JsonObject();
  }
}
