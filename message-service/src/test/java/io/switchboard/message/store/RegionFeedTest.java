package io.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegionFeedTest {

  @Test
  @DisplayName("a notice names its region and every range, and reads back as written")
  void roundTrip() {
    List<RegionFeed.Range> ranges = List.of(new RegionFeed.Range("room-1", 4, 9), new RegionFeed.Range("room \"2\"\t", 1, 1));
    List<String> payloads = RegionFeed.payloads("eu", ranges);
    assertEquals(1, payloads.size());
    assertEquals(new RegionFeed.Notice("eu", ranges), RegionFeed.parse(payloads.get(0)));
  }

  @Test
  @DisplayName("many rooms in one turn are split into notices under Postgres' 8,000-byte payload limit, none lost")
  void split() {
    List<RegionFeed.Range> ranges = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ranges.add(new RegionFeed.Range("room-" + "x".repeat(30) + i, i, i + 3));
    }
    List<String> payloads = RegionFeed.payloads("us", ranges);
    assertTrue(payloads.size() > 1, "split into " + payloads.size());
    List<RegionFeed.Range> read = new ArrayList<>();
    for (String payload : payloads) {
      assertTrue(payload.getBytes(StandardCharsets.UTF_8).length < 8_000, "payload of " + payload.length() + " bytes");
      RegionFeed.Notice notice = RegionFeed.parse(payload);
      assertEquals("us", notice.region());
      read.addAll(notice.ranges());
    }
    assertEquals(ranges, read);
  }

  @Test
  @DisplayName("anything else on the channel is ignored, not a failure")
  void foreignPayload() {
    assertNull(RegionFeed.parse("hello"));
    assertNull(RegionFeed.parse("{\"region\":\"eu\"}"));
  }
}
