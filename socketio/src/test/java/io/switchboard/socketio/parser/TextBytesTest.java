package io.switchboard.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextBytesTest {

  @Test
  @DisplayName("A text asked for again on the same thread is encoded once; another text gets its own bytes")
  void encodesOncePerText() {
    String text = "42[\"room-message-created\",{\"body\":\"héllo ✓\"}]";
    byte[] first = TextBytes.utf8(text);
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), first);
    assertSame(first, TextBytes.utf8(text));

    String equalButOther = new String(text);
    byte[] other = TextBytes.utf8(equalButOther);
    assertNotSame(first, other);
    assertArrayEquals(first, other);
    assertArrayEquals("3".getBytes(StandardCharsets.UTF_8), TextBytes.utf8("3"));
  }

  @Test
  @DisplayName("Two texts asked for in turn (a broadcast's two forms, members interleaved) are each encoded once")
  void encodesTwoInterleavedTextsOnce() {
    String plain = new String("42[\"m\",{\"body\":\"x\"}]");
    String withOffset = new String("42[\"m\",{\"body\":\"x\"},\"a1\"]");
    byte[] a = TextBytes.utf8(plain);
    byte[] b = TextBytes.utf8(withOffset);
    assertSame(a, TextBytes.utf8(plain));
    assertSame(b, TextBytes.utf8(withOffset));
    assertArrayEquals(withOffset.getBytes(StandardCharsets.UTF_8), b);
  }
}
