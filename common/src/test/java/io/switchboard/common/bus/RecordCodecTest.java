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
}
