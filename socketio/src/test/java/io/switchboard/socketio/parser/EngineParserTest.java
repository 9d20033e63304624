package io.switchboard.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EngineParserTest {

  @Test
  @DisplayName("Text packets encode as the type digit followed by the data and decode back")
  void textRoundTrip() throws Exception {
    for (EnginePacket.Type type : EnginePacket.Type.values()) {
      Object frame = EngineParser.encode(EnginePacket.text(type, "data"));
      assertEquals(type.code() + "data", frame);
      EnginePacket decoded = EngineParser.decode((String) frame);
      assertEquals(type, decoded.type());
      assertEquals("data", decoded.data());
    }
  }

  @Test
  @DisplayName("A binary WebSocket frame is a MESSAGE carrying the raw bytes")
  void binaryFrame() {
    Buffer bytes = Buffer.buffer(new byte[] {1, 2, 3});
    assertEquals(bytes, EngineParser.encode(new EnginePacket(EnginePacket.Type.MESSAGE, bytes)));
    EnginePacket decoded = EngineParser.decode(bytes);
    assertEquals(EnginePacket.Type.MESSAGE, decoded.type());
    assertTrue(decoded.binary());
  }

  @Test
  @DisplayName("A polling payload joins packets with the record separator and writes binary as b<base64>")
  void payloadRoundTrip() throws Exception {
    String payload = EngineParser.encodePayload(List.of("4hello", Buffer.buffer(new byte[] {1, 2, 3, 4}), "2"));
    assertEquals("4hello\u001ebAQIDBA==\u001e2", payload);
    List<EnginePacket> packets = EngineParser.decodePayload(payload);
    assertEquals(3, packets.size());
    assertEquals("hello", packets.get(0).data());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, ((Buffer) packets.get(1).data()).getBytes());
    assertEquals(EnginePacket.Type.PING, packets.get(2).type());
  }

  @Test
  @DisplayName("Unknown packet types, empty packets and bad base64 are rejected")
  void malformed() {
    assertThrows(PacketFormatException.class, () -> EngineParser.decode("abc"));
    assertThrows(PacketFormatException.class, () -> EngineParser.decode("9"));
    assertThrows(PacketFormatException.class, () -> EngineParser.decode(""));
    assertThrows(PacketFormatException.class, () -> EngineParser.decodePayload("4a\u001e\u001e4b"));
    assertThrows(PacketFormatException.class, () -> EngineParser.decodePayload("b%%%"));
  }
}
