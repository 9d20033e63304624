package io.switchboard.common.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.common.bus.Json;
import io.switchboard.common.bus.RecordCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The room event codec between cluster members")
class RoomEventCodecTest {
  private final RoomEventCodec codec = new RoomEventCodec();
  /** What a member of the version before this codec encodes and decodes room events with. */
  private final RecordCodec<RoomEvent> older = new RecordCodec<>(RoomEvent.class);

  private static RoomEvent overTheWire(RoomEvent event, MessageCodec<RoomEvent, RoomEvent> from,
      MessageCodec<RoomEvent, RoomEvent> to) {
    Buffer buffer = Buffer.buffer("xy");
    from.encodeToWire(buffer, event);
    return to.decodeFromWire(2, buffer);
  }

  /** The JSON value of raw data, as plain maps and lists. */
  private static Object json(Object data) throws Exception {
    return Json.MAPPER.readValue(((RawValue) data).rawValue().toString(), Object.class);
  }

  /** The JSON value of what was sent, as plain maps and lists. */
  private static Object plain(Object data) {
    return Json.MAPPER.convertValue(data, Object.class);
  }

  @Test
  @DisplayName("a room event keeps every component, its data as JSON text equal to what was sent")
  void roundTrip() throws Exception {
    JsonObject data = new JsonObject().put("text", "héllo \"quoted\" \u2603 \\ end").put("seq", 7)
        .put("nested", new JsonArray().add(1.5).add(new JsonObject().put("ok", true)).addNull());
    RoomEvent event = new RoomEvent("chat:r1", "room-message-confirmed", data, "s1", 1234, List.of()).withSeq(7)
        .except("durable:r1").from("user:acme:bob");

    RoomEvent decoded = overTheWire(event, codec, codec);

    assertEquals("chat:r1", decoded.room());
    assertEquals("room-message-confirmed", decoded.event());
    assertInstanceOf(RawValue.class, decoded.data());
    assertEquals(plain(data), json(decoded.data()));
    assertEquals("s1", decoded.exceptSocketId());
    assertEquals(1234, decoded.sentAt());
    assertEquals(7, decoded.seq());
    assertTrue(decoded.sequenced());
    assertEquals("durable:r1", decoded.exceptRoom());
    assertEquals("user:acme:bob", decoded.from());
  }

  @Test
  @DisplayName("scalar, array and null data, several rooms and no room come through")
  void otherShapes() throws Exception {
    for (Object data : List.of("a \"string\"", 12, -3.25, true, List.of("x", Map.of("y", 2)))) {
      RoomEvent decoded = overTheWire(RoomEvent.toRooms(List.of("a", "b", "c"), "ev", data), codec, codec);
      assertEquals(plain(data), json(decoded.data()));
      assertEquals("a", decoded.room());
      assertEquals(List.of("b", "c"), decoded.moreRooms());
    }
    RoomEvent toAll = overTheWire(RoomEvent.toAll("ev", null), codec, codec);
    assertNull(toAll.room());
    assertNull(toAll.data());
    assertNull(toAll.exceptSocketId());
    assertNull(toAll.exceptRoom());
    assertNull(toAll.from());
  }

  @Test
  @DisplayName("data received raw is published on unchanged")
  void rawPublishedOn() {
    RoomEvent once = overTheWire(RoomEvent.toRoom("r", "ev", new JsonObject().put("k", "v")), codec, codec);

    RoomEvent twice = overTheWire(once, codec, codec);

    assertEquals(((RawValue) once.data()).rawValue(), ((RawValue) twice.data()).rawValue());
  }

  @Test
  @DisplayName("members of the version before read its events, and it reads theirs")
  void olderMembers() throws Exception {
    JsonObject data = new JsonObject().put("text", "hi").put("n", List.of(1, 2));
    RoomEvent event = new RoomEvent("chat:r1", "room-message-created", data, "s9", 55, List.of("chat:r2")).withSeq(3);

    RoomEvent byOlder = overTheWire(event, codec, older);
    RoomEvent fromOlder = overTheWire(event, older, codec);

    assertEquals(codec.name(), older.name());
    assertEquals(new RoomEvent("chat:r1", "room-message-created", data.getMap(), "s9", 55, List.of("chat:r2"), 3, null), byOlder);
    assertEquals(plain(data), json(fromOlder.data()));
    assertEquals(List.of("chat:r2"), fromOlder.moreRooms());
    assertEquals(3, fromOlder.seq());
  }

  @Test
  @DisplayName("an event from an older member, without seq or unknown to it, reads as not sequenced")
  void withoutSeq() {
    byte[] json = new JsonObject().put("room", "chat:r1").put("event", "room-message-updated").put("data", "x")
        .put("sentAt", 1).put("moreRooms", List.of()).put("later", new JsonObject().put("a", 1)).toBuffer().getBytes();
    Buffer buffer = Buffer.buffer().appendInt(json.length).appendBytes(json);

    RoomEvent decoded = codec.decodeFromWire(0, buffer);

    assertEquals("chat:r1", decoded.room());
    assertEquals(0, decoded.seq());
    assertFalse(decoded.sequenced());
  }
}
