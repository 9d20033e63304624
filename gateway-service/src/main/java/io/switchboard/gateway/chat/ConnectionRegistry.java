package io.switchboard.gateway.chat;

import io.switchboard.common.chat.ClientEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat connections of this node, for operators: counts by tenant and transport, listings,
 * disconnects. Thread-safe; each connection is added on connect and removed on disconnect.
 */
public final class ConnectionRegistry {
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Map<String, Integer> byTenant = new ConcurrentHashMap<>();

  void add(Connection connection) {
    if (connections.put(connection.id(), connection) == null) {
      byTenant.merge(connection.user().tenant(), 1, Integer::sum);
    }
  }

  void remove(Connection connection) {
    if (connections.remove(connection.id()) != null) {
      byTenant.computeIfPresent(connection.user().tenant(), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** The tenant's connections on this node. */
  public int countOf(String tenant) {
    return byTenant.getOrDefault(tenant, 0);
  }

  /** The sockets of the user whose private room is {@code userRoom}: a scan, for rare changes (a block). */
  public java.util.List<io.switchboard.socketio.Socket> socketsIn(String userRoom) {
    return connections.values().stream().filter(c -> userRoom.equals(c.userRoom())).map(Connection::socket).toList();
  }

  /** Every connection, for periodic sweeps. */
  Collection<Connection> all() {
    return connections.values();
  }

  public int size() {
    return connections.size();
  }

  public long countByTransport(String transport) {
    return connections.values().stream().filter(c -> transport.equals(c.socket().transport())).count();
  }

  /** Connections per tenant, sorted by tenant. */
  public Map<String, Integer> byTenant() {
    return new TreeMap<>(byTenant);
  }

  /** Connections matching the filter (null fields match all), as JSON for the admin API. */
  public JsonArray list(Filter filter, int max) {
    JsonArray out = new JsonArray();
    connections.values().stream().filter(filter::matches).limit(max).forEach(c -> out.add(describe(c)));
    return out;
  }

  /** Disconnects the matching connections (closing their transport); returns how many. */
  public int disconnect(Filter filter) {
    Collection<Connection> matching = connections.values().stream().filter(filter::matches).toList();
    matching.forEach(c -> c.socket().disconnect(true));
    return matching.size();
  }

  private static JsonObject describe(Connection c) {
    JsonArray rooms = new JsonArray();
    c.socket().rooms().stream().filter(r -> r.startsWith(ClientEvents.chatRoom(""))).sorted()
        .forEach(r -> rooms.add(r.substring(ClientEvents.chatRoom("").length())));
    return new JsonObject()
        .put("socketId", c.id())
        .put("userId", c.user().userId())
        .put("tenant", c.user().tenant())
        .put("transport", c.socket().transport())
        .put("address", c.socket().handshake().address())
        .put("connectedAt", c.connectedAt())
        .put("rooms", rooms);
  }

  /** Which connections: by socket, user, tenant and room; null matches any. */
  public record Filter(String socketId, String userId, String tenant, String roomId) {
    boolean matches(Connection c) {
      return (socketId == null || socketId.equals(c.id()))
          && (userId == null || userId.equals(c.user().userId()))
          && (tenant == null || tenant.equals(c.user().tenant()))
          && (roomId == null || c.inRoom(roomId));
    }
  }
}
