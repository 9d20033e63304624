package io.switchboard.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The record codec between cluster members")
class RecordCodecTest {
  private final RecordCodec<RoomEvent> codec = new RecordCodec<>(RoomEvent.class);

  private RoomEvent overTheWire(RoomEvent event) {
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, event);
    return codec.decodeFromWire(0, buffer);
  }

  @Test
  @DisplayName("a room event keeps every component, its seq included")
  void roomEventRoundTrip() {
    RoomEvent event = new RoomEvent("chat:r1", "room-message-confirmed", new JsonObject().put("seq", 7), "s1", 1234,
        List.of()).withSeq(7);

    RoomEvent decoded = overTheWire(event);

    assertEquals(event.room(), decoded.room());
    assertEquals(event.event(), decoded.event());
    assertEquals(event.data(), JsonObject.mapFrom(decoded.data()));
    assertEquals("s1", decoded.exceptSocketId());
    assertEquals(1234, decoded.sentAt());
    assertEquals(7, decoded.seq());
    assertTrue(decoded.sequenced());
  }

  @Test
  @DisplayName("a room event from an older member, without seq, reads as not sequenced")
  void roomEventWithoutSeq() {
    byte[] json = new JsonObject().put("room", "chat:r1").put("event", "room-message-updated").put("data", "x")
        .put("sentAt", 1).put("moreRooms", List.of()).toBuffer().getBytes();
    Buffer buffer = Buffer.buffer().appendInt(json.length).appendBytes(json);

    RoomEvent decoded = codec.decodeFromWire(0, buffer);

    assertEquals(0, decoded.seq());
    assertFalse(decoded.sequenced());
  }
}
