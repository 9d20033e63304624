package io.switchboard.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Source address lists")
class SourceIpsTest {

  @Test
  @DisplayName("expand full and short ranges and comma lists")
  void ranges() {
    assertEquals(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"), SourceIps.parse("127.0.0.1-127.0.0.3"));
    assertEquals(List.of("127.0.0.7", "127.0.0.8"), SourceIps.parse("127.0.0.7-8"));
    assertEquals(List.of("10.0.0.1", "127.0.0.5", "127.0.0.6"), SourceIps.parse("10.0.0.1, 127.0.0.5-6"));
    assertEquals(List.of(), SourceIps.parse(null));
  }

  @Test
  @DisplayName("refuse ranges over more than the last octet, or backwards")
  void refuses() {
    assertThrows(IllegalArgumentException.class, () -> SourceIps.parse("127.0.0.1-127.0.1.1"));
    assertThrows(IllegalArgumentException.class, () -> SourceIps.parse("127.0.0.9-127.0.0.2"));
  }

  @Test
  @DisplayName("read rates with or without /s")
  void rates() {
    assertEquals(3000.0, SourceIps.rate("3000/s"));
    assertEquals(250.5, SourceIps.rate("250.5"));
  }
}
