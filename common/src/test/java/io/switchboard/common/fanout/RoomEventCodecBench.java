package io.switchboard.common.fanout;

import io.switchboard.common.bus.RecordCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Nanoseconds per room event through {@link RoomEventCodec} and through the {@link RecordCodec} it
 * replaced: decoded and written into a Socket.IO packet's JSON, as each gateway node does, and the
 * same with the sender's encoding. A benchmark, not a test; results in docs/benchmarks.md. From the
 * repository root, after {@code mvn -q -DskipTests install} and {@code mvn -q -pl common test-compile}:
 * <pre>
 * java -cp common/target/test-classes:launcher/target/switchboard.jar io.switchboard.common.fanout.RoomEventCodecBench
 * </pre>
 */
public final class RoomEventCodecBench {
  private static final int EVENTS = 300_000;
  /** Where the results go, so that the JIT cannot drop the work. */
  private static volatile long sink;

  private RoomEventCodecBench() {}

  public static void main(String[] args) throws Exception {
    // A room-message-created event of the size the load generator's fan-out scenario sends.
    JsonObject created = new JsonObject().put("roomId", "00000000-0000-0000-0000-000000000123").put("tempId", "c-123456")
        .put("id", "0190f3a1-7b2c-7def-8123-456789abcdef").put("seq", 12345).put("createdAt", "2026-11-26T22:00:00.123Z")
        .put("senderId", "user-42").put("body", "hello there, this is a benchmark message of some length")
        .put("meta", new JsonObject().put("sentAt", 1764194400123L)).put("optimistic", true);
    RoomEvent event = new RoomEvent("chat:00000000-0000-0000-0000-000000000123", "room-message-created", created,
        "sock-abc", 1764194400123L, List.of());
    List<MessageCodec<RoomEvent, RoomEvent>> codecs = List.of(new RecordCodec<>(RoomEvent.class), new RoomEventCodec());
    // The first rounds warm the JIT; the last one is the result.
    for (int round = 1; round <= 6; round++) {
      for (MessageCodec<RoomEvent, RoomEvent> codec : codecs) {
        Buffer wire = Buffer.buffer();
        codec.encodeToWire(wire, event);
        long received = nanosPerEvent(() -> packet(codec.decodeFromWire(0, wire)));
        long both = nanosPerEvent(() -> {
          Buffer buffer = Buffer.buffer(512);
          codec.encodeToWire(buffer, event);
          return packet(codec.decodeFromWire(0, buffer));
        });
        System.out.printf("round %d %-14s decoded and packet: %5d ns, with the encoding: %5d ns%n",
            round, codec.getClass().getSimpleName(), received, both);
      }
    }
  }

  private static int packet(RoomEvent event) {
    try {
      return DatabindCodec.mapper().writeValueAsString(List.of(event.event(), event.data(), "offset")).length();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long nanosPerEvent(IntSupplier work) {
    long total = 0;
    long start = System.nanoTime();
    for (int i = 0; i < EVENTS; i++) {
      total += work.getAsInt();
    }
    long nanos = (System.nanoTime() - start) / EVENTS;
    sink = total;
    return nanos;
  }
}
