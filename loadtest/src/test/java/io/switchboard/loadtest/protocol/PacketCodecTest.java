package io.switchboard.loadtest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The load generator's Socket.IO v5 / Engine.IO v4 codec")
class PacketCodecTest {

  @Nested
  @DisplayName("encodes")
  class Encoding {
    @Test
    @DisplayName("CONNECT to the main namespace with an auth payload as 40{auth}")
    void connectWithAuth() {
      assertEquals("40{\"token\":\"abc\"}", PacketCodec.connect("/", "{\"token\":\"abc\"}"));
    }

    @Test
    @DisplayName("CONNECT to another namespace with the namespace and a comma first")
    void connectToNamespace() {
      assertEquals("40/admin,{\"token\":\"t\"}", PacketCodec.connect("/admin", "{\"token\":\"t\"}"));
      assertEquals("40/admin,", PacketCodec.connect("/admin", null));
    }

    @Test
    @DisplayName("an EVENT with an ack id between the type and the array")
    void eventWithAck() {
      assertEquals("4212[\"send-message\",{\"roomId\":\"r1\"}]",
          PacketCodec.event("/", 12, "send-message", "{\"roomId\":\"r1\"}"));
    }

    @Test
    @DisplayName("an EVENT without ack id or argument, escaping the event name")
    void eventWithoutAck() {
      assertEquals("42[\"ping\"]", PacketCodec.event("/", -1, "ping", null));
      assertEquals("42[\"a\\\"b\"]", PacketCodec.event("/", -1, "a\"b", null));
    }

    @Test
    @DisplayName("an ACK and a DISCONNECT")
    void ackAndDisconnect() {
      assertEquals("437[{\"ok\":true}]", PacketCodec.ack("/", 7, "[{\"ok\":true}]"));
      assertEquals("41", PacketCodec.disconnect("/"));
      assertEquals("41/chat,", PacketCodec.disconnect("/chat"));
    }
  }

  @Nested
  @DisplayName("decodes")
  class Decoding {
    @Test
    @DisplayName("the Engine.IO open, ping, close and noop packets")
    void enginePackets() {
      EngineFrame open = PacketCodec.decode("0{\"sid\":\"x\",\"pingInterval\":25000}");
      assertEquals(EngineFrame.OPEN, open.type());
      assertEquals("{\"sid\":\"x\",\"pingInterval\":25000}", open.data());
      assertNull(open.packet());
      assertEquals(EngineFrame.PING, PacketCodec.decode("2").type());
      assertEquals(EngineFrame.CLOSE, PacketCodec.decode("1").type());
      assertEquals(EngineFrame.NOOP, PacketCodec.decode("6").type());
    }

    @Test
    @DisplayName("a CONNECT answer with the session id")
    void connectAnswer() {
      SioPacket p = PacketCodec.decode("40{\"sid\":\"abc\"}").packet();
      assertEquals(SioPacket.CONNECT, p.type());
      assertEquals("/", p.namespace());
      assertEquals(-1, p.ackId());
      assertEquals("{\"sid\":\"abc\"}", p.data());
    }

    @Test
    @DisplayName("an EVENT's name and raw argument array")
    void event() {
      SioPacket p = PacketCodec.decode("42[\"room-message-created\",{\"new\":{\"meta\":{\"lt\":5}}}]").packet();
      assertEquals(SioPacket.EVENT, p.type());
      assertEquals("room-message-created", p.event());
      assertEquals(-1, p.ackId());
      assertEquals("[\"room-message-created\",{\"new\":{\"meta\":{\"lt\":5}}}]", p.data());
    }

    @Test
    @DisplayName("an EVENT with a namespace and an ack id")
    void eventWithNamespaceAndAck() {
      SioPacket p = PacketCodec.decode("42/chat,99[\"hello\",1]").packet();
      assertEquals("/chat", p.namespace());
      assertEquals(99, p.ackId());
      assertEquals("hello", p.event());
    }

    @Test
    @DisplayName("an ACK's id and argument array")
    void ack() {
      SioPacket p = PacketCodec.decode("43123[{\"ok\":true,\"seq\":4}]").packet();
      assertEquals(SioPacket.ACK, p.type());
      assertEquals(123, p.ackId());
      assertEquals("[{\"ok\":true,\"seq\":4}]", p.data());
    }

    @Test
    @DisplayName("a CONNECT_ERROR with its data")
    void connectError() {
      SioPacket p = PacketCodec.decode("44{\"message\":\"unauthorized\",\"data\":{\"code\":\"AUTH_FAILED\"}}").packet();
      assertEquals(SioPacket.CONNECT_ERROR, p.type());
      assertEquals("{\"message\":\"unauthorized\",\"data\":{\"code\":\"AUTH_FAILED\"}}", p.data());
    }

    @Test
    @DisplayName("the header of a BINARY_EVENT, skipping the attachment count")
    void binaryEvent() {
      SioPacket p = PacketCodec.decode("451-/nsp,3[\"file\",{\"_placeholder\":true,\"num\":0}]").packet();
      assertEquals(SioPacket.BINARY_EVENT, p.type());
      assertEquals("/nsp", p.namespace());
      assertEquals(3, p.ackId());
      assertEquals("file", p.event());
    }

    @Test
    @DisplayName("what it encodes")
    void roundTrip() {
      SioPacket p = PacketCodec.decode(PacketCodec.event("/", 41, "join-room", "{\"roomId\":\"a:b\"}")).packet();
      assertEquals("join-room", p.event());
      assertEquals(41, p.ackId());
      assertEquals("[\"join-room\",{\"roomId\":\"a:b\"}]", p.data());
    }
  }

  @Nested
  @DisplayName("refuses")
  class Refusing {
    @Test
    @DisplayName("empty frames and unknown packet types")
    void garbage() {
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode(""));
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("9"));
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("4"));
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("47"));
    }

    @Test
    @DisplayName("an ACK without an id and an EVENT without a name")
    void malformed() {
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("43[1]"));
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("42{\"a\":1}"));
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("42[\"unterminated"));
      assertThrows(PacketFormatException.class, () -> PacketCodec.decode("451[\"no-dash\"]"));
    }
  }
}
