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
}
