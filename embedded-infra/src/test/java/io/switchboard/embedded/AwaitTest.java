package io.switchboard.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  @DisplayName("Await.until returns once the condition holds, looking again until then")
  void untilReturnsOnceTheConditionHolds() {
    AtomicInteger looks = new AtomicInteger();
    new Await("test", 10_000, 5).until("the third look", () -> looks.incrementAndGet() == 3);
    assertEquals(3, looks.get());
  }

  @Test
  @DisplayName("Await.until past its deadline fails with the name, what it waited for and the timeout")
  void untilFailsAtTheDeadline() {
    long start = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Await("redis test", 200, 20).until("never", () -> false));
    assertEquals("redis test: never not reached within 200 ms", e.getMessage());
    assertTrue(System.nanoTime() - start >= 200_000_000L, "it waited the whole timeout");
  }

  @Test
  @DisplayName("a look that throws fails the wait at once, unless errors are retried: then the last one is the cause")
  void errorsFailOrAreRetried() {
    AtomicInteger looks = new AtomicInteger();
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    assertSame(boom, assertThrows(IllegalArgumentException.class, () -> new Await("t", 10_000, 5).until("x", () -> {
      looks.incrementAndGet();
      throw boom;
    })));
    assertEquals(1, looks.get(), "not looked at again");

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Await("t", 100, 5).retryingErrors().until("x", () -> {
          looks.incrementAndGet();
          throw boom;
        }));
    assertSame(boom, e.getCause());
    assertTrue(looks.get() > 2, "looked at again: " + looks.get());
  }

  @Test
  @DisplayName("Await.value gives the first value the probe gives")
  void valueGivesTheProbesValue() {
    AtomicInteger looks = new AtomicInteger();
    int got = new Await("t", 10_000, 5).value(() -> looks.incrementAndGet() < 4 ? null : looks.get(),
        last -> new IllegalStateException("no value"));
    assertEquals(4, got);
  }

  @Test
  @DisplayName("Await.ready gives up as soon as the child process dies, well before the deadline, with the caller's failure")
  void readyGivesUpWhenTheChildDies() throws Exception {
    Process child = new ProcessBuilder("sh", "-c", "exit 3").start();
    AtomicInteger failures = new AtomicInteger();
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> new Await("t", 60_000, 20).ready(child, () -> false, last -> {
      failures.incrementAndGet();
      return new IOException("child did not start: exit " + child.exitValue());
    }));
    assertEquals("child did not start: exit 3", e.getMessage());
    assertEquals(1, failures.get());
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "it did not wait for the deadline");
  }
}
