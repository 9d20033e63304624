package io.switchboard.presence;

import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceBatch.LiveConnection;
import io.switchboard.common.presence.PresenceUpdate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A batch as the JSON argument of {@code lua/apply.lua}: positional arrays (compact, and Lua reads them
 * by index), times as strings (exact in Lua), absent fields left out (JSON null is truthy in Lua).
 */
final class BatchScript {
  private BatchScript() {}

  static String encode(PresenceBatch batch) {
    JsonArray ops = new JsonArray();
    for (PresenceUpdate u : batch.updates()) {
      ops.add(new JsonArray().add(u.kind().name()).add(u.connectionId()).add(u.tenant()).add(u.userId())
          .add(u.roomId() == null ? "" : u.roomId()).add(Long.toString(u.at())));
    }
    JsonObject json = new JsonObject().put("ops", ops);
    if (batch.sync()) {
      JsonArray live = new JsonArray();
      for (LiveConnection c : batch.live()) {
        live.add(new JsonArray().add(c.connectionId()).add(c.tenant()).add(c.userId()).add(Long.toString(c.since()))
            .add(new JsonArray(c.rooms())).add(Long.toString(c.awaySince())));
      }
      json.put("live", live);
    }
    if (batch.leaving()) {
      json.put("leaving", true);
    }
    return json.encode();
  }
}
