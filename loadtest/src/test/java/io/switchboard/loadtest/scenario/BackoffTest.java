package io.switchboard.loadtest.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reconnection delay as socket.io-client's")
class BackoffTest {

  @Test
  @DisplayName("the default first delay is 1 s +-50%, spread over that range")
  void firstDelay() {
    Backoff b = new Backoff(1000, 5000, 0.5);
    long lowest = Long.MAX_VALUE;
    long highest = 0;
    for (int i = 0; i < 1000; i++) {
      long d = b.delayMs(0, i / 1000.0);
      lowest = Math.min(lowest, d);
      highest = Math.max(highest, d);
    }
    // socket.io-client draws once for direction and size, so its shortest is 550 ms, not 500.
    assertTrue(lowest >= 500 && lowest <= 600, "lowest " + lowest);
    assertTrue(highest <= 1500 && highest >= 1400, "highest " + highest);
  }

  @Test
  @DisplayName("without jitter it doubles per attempt up to the maximum")
  void doubling() {
    Backoff b = new Backoff(1000, 5000, 0);
    assertEquals(1000, b.delayMs(0, 0.7));
    assertEquals(2000, b.delayMs(1, 0.7));
    assertEquals(4000, b.delayMs(2, 0.7));
    assertEquals(5000, b.delayMs(3, 0.7));
    assertEquals(5000, b.delayMs(40, 0.7));
  }

  @Test
  @DisplayName("a delay of 0 reconnects at once, every attempt")
  void immediate() {
    Backoff b = new Backoff(0, 5000, 0.5);
    assertEquals(0, b.delayMs(0, 0.9));
    assertEquals(0, b.delayMs(5, 0.3));
  }

  @Test
  @DisplayName("negative delays and a jitter beyond 1 are refused")
  void invalid() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(-1, 5000, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(1000, 5000, 1.5));
  }
}
