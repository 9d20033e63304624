package io.switchboard.presence;

/** Every Redis key of presence, from one prefix. */
final class RedisKeys {
  private static final String PREFIX = "sb:";

  private RedisKeys() {}

  /** Hash: user, tenant, node, since. */
  static String connection(String connectionId) {
    return PREFIX + "conn:" + connectionId;
  }

  /** Set of room ids the connection joined. */
  static String connectionRooms(String connectionId) {
    return PREFIX + "conn:" + connectionId + ":rooms";
  }

  /** Set of the user's connection ids, all nodes. */
  static String userConnections(String tenant, String userId) {
    return PREFIX + "user:" + tenant + ":" + userId;
  }

  /** Set of the connection ids a gateway node holds, for its crash cleanup. */
  static String nodeConnections(String nodeId) {
    return PREFIX + "node:" + nodeId;
  }

  /** Hash: connection id to user id, for the connections in a room. */
  static String roomConnections(String tenant, String roomId) {
    return PREFIX + "room:" + tenant + ":" + roomId;
  }

  /** Hash: user id to the epoch ms of their last disconnect. */
  static String lastSeen(String tenant) {
    return PREFIX + "lastseen:" + tenant;
  }
}
