package io.switchboard.socketio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PairsMultiMapTest {

  private static MultiMap headers(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  @DisplayName("A copy answers as Vert.x's header map does: any case, every value, in order; read-only")
  void readsLikeAHeaderMap() {
    MultiMap copy = PairsMultiMap.copyOf(headers("Host", "a:1", "Accept", "x", "accept", "y", "Upgrade", "websocket"),
        name -> !name.equalsIgnoreCase("upgrade"), new SharedStrings(), null);
    assertEquals("a:1", copy.get("host"));
    assertEquals("x", copy.get("ACCEPT"));
    assertEquals(List.of("x", "y"), copy.getAll("Accept"));
    assertNull(copy.get("Upgrade"), "left out of the copy");
    assertTrue(copy.contains("HOST"));
    assertEquals(Set.of("Host", "Accept"), copy.names());
    assertEquals(2, copy.size());
    assertEquals(List.of(Map.entry("Host", "a:1"), Map.entry("Accept", "x"), Map.entry("accept", "y")),
        copy.entries().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    assertFalse(copy.isMutable());
    assertThrows(UnsupportedOperationException.class, () -> copy.add("a", "b"));
    assertThrows(UnsupportedOperationException.class, () -> copy.remove("Host"));
    MultiMap mutable = copy.copy(true);
    mutable.add("X-More", "1");
    assertEquals("1", mutable.get("x-more"));
    assertTrue(PairsMultiMap.copyOf(headers(), name -> true, new SharedStrings(), null).isEmpty());
  }

  @Test
  @DisplayName("Sessions share the strings of their handshakes, and the whole map when it is the same")
  void sharesStringsAndMaps() {
    SharedStrings shared = new SharedStrings();
    PairsMultiMap first = PairsMultiMap.copyOf(headers("Host", new String("h:1"), "User-Agent", new String("ua")),
        name -> true, shared, null);
    PairsMultiMap second = PairsMultiMap.copyOf(headers("Host", new String("h:1"), "User-Agent", new String("other")),
        name -> true, shared, first);
    assertNotSame(first, second);
    assertSame(first.get("Host"), second.get("Host"), "one instance of a repeated value");
    PairsMultiMap third = PairsMultiMap.copyOf(headers("Host", new String("h:1"), "User-Agent", new String("other")),
        name -> true, shared, second);
    assertSame(second, third, "the same entries: the previous map itself");
  }

  @Test
  @DisplayName("Shared strings are bounded: long ones are not kept, and a full table starts over")
  void sharedStringsAreBounded() {
    SharedStrings shared = new SharedStrings();
    String longOne = "x".repeat(SharedStrings.MAX_LENGTH + 1);
    assertSame(longOne, shared.of(longOne));
    assertEquals(0, shared.size());
    for (int i = 0; i < SharedStrings.MAX_ENTRIES + 10; i++) {
      shared.of("value-" + i);
      assertTrue(shared.size() <= SharedStrings.MAX_ENTRIES);
    }
    String kept = shared.of(new String("common"));
    assertSame(kept, shared.of(new String("common")));
  }
}
