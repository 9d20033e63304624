package io.switchboard.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.Sender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The record codec between cluster members")
class RecordCodecTest {
  @Test
  @DisplayName("a record keeps every component, after whatever the buffer held before it")
  void roundTrip() {
    RecordCodec<ReadState> codec = new RecordCodec<>(ReadState.class);
    Buffer buffer = Buffer.buffer("header");
    ReadState state = new ReadState("r1", 42, 3);

    codec.encodeToWire(buffer, state);

    assertEquals(state, codec.decodeFromWire(6, buffer));
  }

  @Test
  @DisplayName("a record of a newer version keeps its new components; one from an older sender, without them, has their defaults")
  void versions() {
    RecordCodec<MemberChange> codec = new RecordCodec<>(MemberChange.class);
    MemberChange mute = MemberChange.mute(new Sender("acme", "alice", null), "r1", "bob", 60);
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, mute);
    assertEquals(mute, codec.decodeFromWire(0, buffer));

    JsonObject older = Json.toJson(MemberChange.ban(new Sender("acme", "alice", null), "r1", "bob"));
    older.remove("durationSeconds");
    Buffer old = Buffer.buffer().appendInt(older.toBuffer().length()).appendBuffer(older.toBuffer());
    assertEquals(MemberChange.ban(new Sender("acme", "alice", null), "r1", "bob"), codec.decodeFromWire(0, old));
  }

  @Test
  @DisplayName("presence's records carry who is away: a room's away users with their times, a sync's away connections; older ones without have none")
  void away() {
    var presence = new io.switchboard.common.presence.RoomPresence("r1", java.util.List.of("alice", "bob"),
        java.util.Map.of("bob", 1_700_000_000_000L));
    assertEquals(presence, roundTrip(io.switchboard.common.presence.RoomPresence.class, presence));
    JsonObject older = Json.toJson(presence);
    older.remove("away");
    Buffer old = Buffer.buffer().appendInt(older.toBuffer().length()).appendBuffer(older.toBuffer());
    assertEquals(java.util.Map.of(),
        new RecordCodec<>(io.switchboard.common.presence.RoomPresence.class).decodeFromWire(0, old).away());

    var live = new io.switchboard.common.presence.PresenceBatch.LiveConnection("c1", "acme", "bob", 1, java.util.List.of("r1"), 5);
    assertEquals(live, roundTrip(io.switchboard.common.presence.PresenceBatch.LiveConnection.class, live));
    JsonObject olderLive = Json.toJson(live);
    olderLive.remove("awaySince");
    Buffer oldLive = Buffer.buffer().appendInt(olderLive.toBuffer().length()).appendBuffer(olderLive.toBuffer());
    assertEquals(0, new RecordCodec<>(io.switchboard.common.presence.PresenceBatch.LiveConnection.class)
        .decodeFromWire(0, oldLive).awaySince());
  }

  private static <T> T roundTrip(Class<T> type, T value) {
    RecordCodec<T> codec = new RecordCodec<>(type);
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, value);
    return codec.decodeFromWire(0, buffer);
  }

  @Test
  @DisplayName("the attachments' records cross the wire whole: tickets with their headers, accesses, grants, sends with attachments; an older send without them has none")
  void attachments() {
    io.switchboard.common.chat.Attachment image = new io.switchboard.common.chat.Attachment("a1", "p.png", "image/png", 10, 4, 3, true);
    var ticket = new io.switchboard.common.chat.UploadTicket(image, "http://s3/b/a1?X-Amz-Signature=x", "PUT",
        java.util.Map.of("content-type", "image/png"), "2026-01-01T00:00:00Z");
    assertEquals(ticket, roundTrip(io.switchboard.common.chat.UploadTicket.class, ticket));
    var access = new io.switchboard.common.chat.AttachmentAccess(io.switchboard.common.chat.AttachmentAccess.Kind.THUMBNAIL,
        "a1", "acme", "bob", null);
    assertEquals(access, roundTrip(io.switchboard.common.chat.AttachmentAccess.class, access));
    var grant = new io.switchboard.common.chat.AttachmentGrant(image, "acme", "alice", null, "/data/a1", "image/png", 10, "inline");
    assertEquals(grant, roundTrip(io.switchboard.common.chat.AttachmentGrant.class, grant));
    var send = new io.switchboard.common.chat.PersistRequest(new Sender("acme", "alice", "Alice"), "r1", "c1", "hi", null, null,
        "s1", "t", java.util.List.of(io.switchboard.common.chat.Attachment.ref("a1")));
    assertEquals(send, roundTrip(io.switchboard.common.chat.PersistRequest.class, send));

    RecordCodec<io.switchboard.common.chat.PersistRequest> codec = new RecordCodec<>(io.switchboard.common.chat.PersistRequest.class);
    JsonObject older = Json.toJson(send);
    older.remove("attachments");
    Buffer old = Buffer.buffer().appendInt(older.toBuffer().length()).appendBuffer(older.toBuffer());
    assertEquals(java.util.List.of(), codec.decodeFromWire(0, old).attachments());
  }
}
