package io.switchboard.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  @DisplayName("the streaming encoding writes the text JsonObject.encode() writes, for JSON values of every kind")
  void streamingMatchesDatabind() {
    JsonObject json = new JsonObject()
        .put("text", "quotes \" and \\ and\nnew lines, é, 日本, emoji \uD83D\uDE00, control \u0001")
        .put("int", 42).put("long", Long.MAX_VALUE).put("double", 0.1).put("negative", -7.5e-12)
        .put("yes", true).put("nothing", null)
        .put("list", new JsonArray().add(1).add("two").addNull().add(new JsonObject().put("deep", List.of(3, 4))))
        .put("nested", new JsonObject().put("empty", new JsonObject()).put("emptyList", new JsonArray()));
    assertEquals(json.encode(), Json.encode(json));
    assertEquals(json.toBuffer(), Json.encodeToBuffer(json));
  }

  record Point(int x, int y) {}

  @Test
  @DisplayName("a value that is not a JSON type is still encoded, by databind")
  void otherValuesFallBack() {
    JsonObject json = new JsonObject().put("point", new Point(1, 2));
    assertEquals("{\"point\":{\"x\":1,\"y\":2}}", Json.encode(json));
    assertEquals(json.toBuffer(), Json.encodeToBuffer(json));
  }
}
