package io.switchboard.presence;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's first connection opened ({@code online}), every connection of theirs is away ({@code away},
 * since {@code at}), an away user has an active connection again ({@code back}, announced as online)
 * or their last connection closed ({@code offline}), decided atomically in Redis, with the rooms of
 * the user that hear of it. {@code at} is epoch milliseconds.
 */
record StatusChange(String tenant, String userId, Status status, long at, List<String> rooms) {

  enum Status {
    ONLINE, AWAY, BACK, OFFLINE;

    /** The status clients see: back from away is online again. */
    String wire() {
      return this == BACK ? "online" : name().toLowerCase();
    }

    /** A connection opened or closed, not just away or back (the webhooks' user.online and user.offline). */
    boolean connectivity() {
      return this == ONLINE || this == OFFLINE;
    }
  }

  /**
   * The {@code changes} of a script's answer, {@code [[status, tenant, user, at, [rooms], [online]]...]}:
   * each room with more than {@code roomOnlineMax} users online is left out, since announcing a
   * transition costs a frame per user online there, and a crowd coming or going costs its square.
   */
  static List<StatusChange> fromScript(Object changes, int roomOnlineMax) {
    List<StatusChange> out = new ArrayList<>();
    if (changes instanceof JsonArray array) {  // an empty Lua table is encoded as {}, not []
      for (int i = 0; i < array.size(); i++) {
        JsonArray c = array.getJsonArray(i);
        out.add(new StatusChange(c.getString(1), c.getString(2), Status.valueOf(c.getString(0).toUpperCase()),
            Long.parseLong(c.getString(3)), announced(c.getValue(4), c.getValue(5), roomOnlineMax)));
      }
    }
    return out;
  }

  private static List<String> announced(Object rooms, Object online, int roomOnlineMax) {
    List<String> out = new ArrayList<>();
    if (rooms instanceof JsonArray names && online instanceof JsonArray counts) {
      for (int i = 0; i < names.size(); i++) {
        if (((Number) counts.getValue(i)).intValue() <= roomOnlineMax) {
          out.add(String.valueOf(names.getValue(i)));
        }
      }
    }
    return out;
  }
}
