package io.switchboard.gateway.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A gateway node's moderation state: made by the first mute known, dropped when it holds nothing live")
class RoomModerationTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Set<String> roomsHere = new HashSet<>(Set.of("r1"));
  private final RoomModeration moderation = new RoomModeration(roomsHere::contains, now::get);

  private static String at(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  private static RoomEvent event(String roomId, String event, JsonObject data, long seq) {
    return new RoomEvent(ClientEvents.chatRoom(roomId), event, data.put("roomId", roomId), null).withSeq(seq);
  }

  @Test
  @DisplayName("no state without moderation; a mute refuses until its end with the time left, then it is gone")
  void mutes() {
    assertNull(moderation.refusal("r1", "bob"));
    assertEquals(0, moderation.rooms());
    moderation.muted("r1", "bob", at(now.get() + 5000));
    assertEquals(5000, moderation.refusal("r1", "bob").extra().getLong("retryAfterMs"));
    assertNull(moderation.refusal("r1", "carol"));
    now.addAndGet(5000);
    assertNull(moderation.refusal("r1", "bob"), "ended");
    moderation.sweep();
    assertEquals(0, moderation.rooms());
    moderation.muted("r1", "bob", at(now.get() - 1));
    assertEquals(0, moderation.rooms(), "an end past is no mute");
  }

  @Test
  @DisplayName("the room's events move it, as JSON or as the text another cluster member sent; a room without sockets here takes none")
  void events() {
    String until = at(now.get() + 60_000);
    moderation.changed(event("r1", ClientEvents.MEMBER_MUTED, new JsonObject().put("userId", "bob").put("mutedUntil", until), 5));
    assertNotNull(moderation.refusal("r1", "bob"));
    JsonObject unmuted = new JsonObject().put("roomId", "r1").put("userId", "bob").put("seq", 6);
    moderation.changed(new RoomEvent(ClientEvents.chatRoom("r1"), ClientEvents.MEMBER_UNMUTED, new RawValue(unmuted.encode()), null)
        .withSeq(6));
    assertNull(moderation.refusal("r1", "bob"));
    assertEquals(0, moderation.rooms(), "an unmute drops the room's state");

    moderation.changed(event("elsewhere", ClientEvents.MEMBER_MUTED, new JsonObject().put("userId", "bob").put("mutedUntil", until), 9));
    assertEquals(0, moderation.rooms(), "no socket of that room here");
  }

  @Test
  @DisplayName("the sweep forgets the rooms whose last socket here left")
  void sweep() {
    moderation.muted("r1", "bob", at(now.get() + 60_000));
    moderation.sweep();
    assertEquals(1, moderation.rooms());
    roomsHere.clear();
    moderation.sweep();
    assertEquals(0, moderation.rooms());
  }

  @Test
  @DisplayName("slow mode: a message stored in slow mode paces its sender until the wait is over, then the state is gone; one stored without it makes none")
  void slowMode() {
    moderation.sent("r1", "carol", at(now.get()), 0);
    assertEquals(0, moderation.rooms(), "exempt, or no slow mode: nothing to keep");
    moderation.sent("r1", "bob", at(now.get()), 10);
    now.addAndGet(4000);
    assertEquals(6000, moderation.refusal("r1", "bob").extra().getLong("retryAfterMs"));
    assertEquals(10, moderation.refusal("r1", "bob").extra().getInteger("slowMode"));
    assertNull(moderation.refusal("r1", "carol"));
    moderation.changed(event("r1", ClientEvents.ROOM_UPDATED, new JsonObject().put("slowMode", 5), 7));
    assertEquals(1000, moderation.refusal("r1", "bob").extra().getLong("retryAfterMs"), "shortened to 5 s, 4 s waited");
    now.addAndGet(1000);
    assertNull(moderation.refusal("r1", "bob"));
    moderation.sweep();
    assertEquals(0, moderation.rooms());
  }
}
