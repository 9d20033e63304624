package io.switchboard.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SioParserTest {

  record Point(int x, int y) {}

  private static SioPacket decodeText(EncodedPacket encoded) throws PacketFormatException {
    return SioParser.decode(encoded.text().substring(1));
  }

  @Test
  @DisplayName("Events encode with namespace and ack id as the reference parser does")
  void encodesLikeReference() {
    assertEquals("42[\"hello\",1]", SioParser.encode(SioPacket.Type.EVENT, "/", -1, List.of("hello", 1)).text());
    assertEquals("42/admin,12[\"hello\"]", SioParser.encode(SioPacket.Type.EVENT, "/admin", 12, List.of("hello")).text());
    assertEquals("43/admin,7[]", SioParser.encode(SioPacket.Type.ACK, "/admin", 7, List.of()).text());
    assertEquals("41/admin,", SioParser.encode(SioPacket.Type.DISCONNECT, "/admin", -1, null).text());
    assertEquals("40{\"sid\":\"abc\"}", SioParser.encode(SioPacket.Type.CONNECT, "/", -1, new JsonObject().put("sid", "abc")).text());
  }

  @Test
  @DisplayName("Records, maps, JsonObject and JsonArray arguments are encoded with Jackson")
  void jacksonArguments() throws Exception {
    EncodedPacket encoded = SioParser.encode(SioPacket.Type.EVENT, "/", -1,
        List.of("e", new Point(1, 2), Map.of("k", "v"), new JsonObject().put("a", new JsonArray().add(true))));
    assertEquals("42[\"e\",{\"x\":1,\"y\":2},{\"k\":\"v\"},{\"a\":[true]}]", encoded.text());
    SioPacket decoded = decodeText(encoded);
    JsonArray data = (JsonArray) decoded.data();
    assertEquals(new JsonObject().put("x", 1).put("y", 2), data.getJsonObject(1));
  }

  @Test
  @DisplayName("An argument that is JSON text already (a Jackson RawValue) is written as it is")
  void rawJsonArgument() {
    EncodedPacket encoded = SioParser.encode(SioPacket.Type.EVENT, "/", -1,
        List.of("e", new RawValue("{\"a\":[1,\"\\u00e9\"]}"), "offset"));
    assertEquals("42[\"e\",{\"a\":[1,\"\\u00e9\"]},\"offset\"]", encoded.text());
  }

  @Test
  @DisplayName("Buffers and byte arrays become numbered placeholders and attachments, in depth-first order")
  void binaryPlaceholders() throws Exception {
    Buffer first = Buffer.buffer(new byte[] {1});
    byte[] second = {2, 2};
    EncodedPacket encoded = SioParser.encode(SioPacket.Type.EVENT, "/chat", 5,
        List.of("file", first, Map.of("inner", second)));
    assertEquals("452-/chat,5[\"file\",{\"_placeholder\":true,\"num\":0},{\"inner\":{\"_placeholder\":true,\"num\":1}}]", encoded.text());
    assertEquals(3, encoded.frames().size());
    assertSame(first, encoded.frames().get(1));

    SioPacket decoded = decodeText(encoded);
    assertEquals(SioPacket.Type.BINARY_EVENT, decoded.type());
    assertEquals(2, decoded.attachments());
    assertEquals("/chat", decoded.nsp());
    assertEquals(5, decoded.id());
    JsonArray data = (JsonArray) Binary.reconstruct(decoded.data(),
        List.of((Buffer) encoded.frames().get(1), (Buffer) encoded.frames().get(2)));
    assertSame(first, data.getList().get(1));
    assertArrayEquals(second, ((JsonObject) data.getValue(2)).getBuffer("inner").getBytes());
  }

  @Test
  @DisplayName("An ack with binary data becomes a BINARY_ACK")
  void binaryAck() {
    assertEquals("461-3[{\"_placeholder\":true,\"num\":0}]",
        SioParser.encode(SioPacket.Type.ACK, "/", 3, List.of(new byte[] {1})).text());
  }

  @Test
  @DisplayName("Client packets decode: connect with auth, namespaces without a trailing comma, ack ids")
  void decodesClientPackets() throws Exception {
    SioPacket connect = SioParser.decode("0/admin,{\"token\":\"x\"}");
    assertEquals(SioPacket.Type.CONNECT, connect.type());
    assertEquals("/admin", connect.nsp());
    assertEquals(new JsonObject().put("token", "x"), connect.data());

    SioPacket disconnect = SioParser.decode("1/admin");
    assertEquals("/admin", disconnect.nsp());
    assertNull(disconnect.data());

    SioPacket event = SioParser.decode("2456[\"message-with-ack\",1]");
    assertEquals(456, event.id());
    assertEquals("/", event.nsp());

    SioPacket ack = SioParser.decode("3/x,9[1]");
    assertEquals(9, ack.id());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "9", "abc", "2{}", "2[]", "2[1]", "2abc[\"x\"]", "2[\"unclosed\"", "3[1]", "1{}", "0\"auth\"", "0[1]",
      "5[\"x\"]", "5a-[\"x\"]", "517-[\"x\"]", "21234567890123456[\"x\"]", "2[\"x\"]trailing"})
  @DisplayName("Malformed packets are rejected: unknown type, bad JSON, wrong payload shape, bad ack id, bad or too many attachments")
  void malformed(String packet) {
    assertThrows(PacketFormatException.class, () -> SioParser.decode(packet));
  }

  @Test
  @DisplayName("A placeholder pointing past the received attachments is rejected")
  void placeholderOutOfRange() throws Exception {
    SioPacket packet = SioParser.decode("51-[\"x\",{\"_placeholder\":true,\"num\":3}]");
    assertThrows(PacketFormatException.class, () -> Binary.reconstruct(packet.data(), List.of(Buffer.buffer("a"))));
  }
}
