package io.switchboard.presence;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's first connection opened ({@code online}) or last one closed ({@code offline}), decided
 * atomically in Redis, with the rooms the user is in. {@code at} is epoch milliseconds.
 */
record StatusChange(String tenant, String userId, Status status, long at, List<String> rooms) {

  enum Status {
    ONLINE, OFFLINE;

    String wire() {
      return name().toLowerCase();
    }
  }

  /** The {@code changes} of a script's answer: {@code [[status, tenant, user, at, [rooms]]...]}. */
  static List<StatusChange> fromScript(Object changes) {
    List<StatusChange> out = new ArrayList<>();
    if (changes instanceof JsonArray array) {  // an empty Lua table is encoded as {}, not []
      for (int i = 0; i < array.size(); i++) {
        JsonArray c = array.getJsonArray(i);
        out.add(new StatusChange(c.getString(1), c.getString(2), Status.valueOf(c.getString(0).toUpperCase()),
            Long.parseLong(c.getString(3)), strings(c.getValue(4))));
      }
    }
    return out;
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
