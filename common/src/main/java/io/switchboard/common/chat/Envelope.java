package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The data-event envelope kept from the system Switchboard replaces (PROTOCOL.md section 4):
 * {@code {new, old, eventType, table, schema, timestamp, source}}.
 */
public final class Envelope {
  public static final String TABLE = "room_messages";

  public enum Source {
    GATEWAY("gateway"), API("api"), SYSTEM("system");

    private final String wire;

    Source(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private Envelope() {}

  public static JsonObject insert(JsonObject created, Source source) {
    return of("INSERT", created, null, source);
  }

  public static JsonObject update(JsonObject now, JsonObject before, Source source) {
    return of("UPDATE", now, before, source);
  }

  public static JsonObject delete(JsonObject before, Source source) {
    return of("DELETE", null, before, source);
  }

  private static JsonObject of(String type, JsonObject now, JsonObject before, Source source) {
    return new JsonObject()
        .put("new", now == null ? new JsonObject() : now)
        .put("old", before == null ? new JsonObject() : before)
        .put("eventType", type)
        .put("table", TABLE)
        .put("schema", "public")
        .put("timestamp", Instant.now().toString())
        .put("source", source.wire());
  }
}
