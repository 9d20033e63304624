package io.switchboard.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.chat.ReadState;
import io.vertx.core.buffer.Buffer;
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
}
