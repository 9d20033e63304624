package io.switchboard.socketio.parser;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of the packet parsers: whatever text a client sends, decoding yields a
 * packet or a {@link PacketFormatException}; no other exception escapes to crash a session handler.
 * Inputs are biased toward almost-valid frames (valid prefixes followed by noise), where parsers
 * tend to break.
 */
class ParserFuzzTest {

  @Property(tries = 3000)
  @Label("any Socket.IO packet text decodes or is refused with PacketFormatException")
  void socketIoPackets(@ForAll("frames") String frame) {
    try {
      SioPacket packet = SioParser.decode(frame);
      if (packet.data() instanceof JsonArray array) {
        Binary.reconstruct(array, List.of(Buffer.buffer("x")));
      }
    } catch (PacketFormatException expected) {
      // Refused cleanly.
    }
  }

  @Property(tries = 3000)
  @Label("any Engine.IO frame or polling payload decodes or is refused with PacketFormatException")
  void engineIoFrames(@ForAll("frames") String frame) {
    try {
      EngineParser.decode(frame);
    } catch (PacketFormatException expected) {
      // Refused cleanly.
    }
    try {
      EngineParser.decodePayload(frame + EngineParser.RECORD_SEPARATOR + frame);
    } catch (PacketFormatException expected) {
      // Refused cleanly.
    }
  }

  @Provide
  Arbitrary<String> frames() {
    Arbitrary<String> prefix = Arbitraries.of("", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "b", "40", "41",
        "42", "43", "44", "45", "46", "2[", "3[", "0/", "2/admin,", "21[", "51-", "61-", "5-", "2-1[", "0{", "4{",
        "42[\"ev\",{\"_placeholder\":true,\"num\":", "451-[\"e\",{\"_placeholder\":true,\"num\":0}]");
    Arbitrary<String> noise = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("[]{}\",:0123456789-/.eEtrufalsn_placeholdr ").ofMaxLength(60),
        Arbitraries.of("[\"event\"]", "[\"e\",1,2]", "{}", "[]", "null", "[1]", "[\"e\",{\"_placeholder\":true,\"num\":99}]",
            "999999999999999999999[\"e\"]", "[\"e\"", "\u001e", "\u0000"));
    return net.jqwik.api.Combinators.combine(prefix, noise).as((p, n) -> p + n);
  }
}
