package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Counter;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.Metrics;
import io.switchboard.loadtest.protocol.JsonScan;
import io.switchboard.loadtest.protocol.SioClient;
import io.switchboard.loadtest.protocol.SioPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends timed {@code send-message}s and measures them: the send time (wall-clock microseconds) and
 * the index of the message's {@link Tally} travel in {@code meta} as {@code {"lt":..,"st":..}}; every
 * receiver of {@code room-message-created} records the delivery latency, and the sender records the ack
 * latency of the durable write. Receivers and senders may be on any event loop.
 */
final class MessageProbe implements Probe {
  static final String CREATED = "room-message-created";
  static final String CONFIRMED = "room-message-confirmed";

  private final List<Tally> tallies = new CopyOnWriteArrayList<>();
  private final Latency delivery;
  private final Latency ack;
  private final Counter sent;
  private final Counter delivered;
  private final Counter acked;
  private final Counter ackFailed;
  private final Counter confirmed;
  private final Counter other;
  private final String[] bodies;
  private final java.util.concurrent.atomic.AtomicInteger nextBody = new java.util.concurrent.atomic.AtomicInteger();

  /** {@code bodyText}: {@code x} (one letter repeated) or {@code words} ({@link #words}). */
  MessageProbe(Metrics metrics, int bodyBytes, String bodyText) {
    this.delivery = metrics.latency("delivery");
    this.ack = metrics.latency("ack");
    this.sent = metrics.counter("sent");
    this.delivered = metrics.counter("delivered");
    this.acked = metrics.counter("acked");
    this.ackFailed = metrics.counter("ackFailed");
    this.confirmed = metrics.counter("confirmed");
    this.other = metrics.counter("otherEvents");
    int length = Math.max(1, bodyBytes);
    this.bodies = switch (bodyText) {
      case "x" -> new String[] {"x".repeat(length)};
      case "words" -> java.util.stream.IntStream.range(0, 64).mapToObj(i -> words(length, i)).toArray(String[]::new);
      default -> throw new IllegalArgumentException("--body-text must be x or words, got " + bodyText);
    };
  }

  private static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be "
      + "this have from or one had by word but not what all were we when your can said there use an each which she "
      + "do how their if will up other about out many then them these so some her would make like him into time has "
      + "look two more write go see number no way could people my than first water been call who oil its now find "
      + "long down day did get come made may part meeting tomorrow deploy review build release ticket customer "
      + "update thanks please sure agreed morning afternoon slides numbers budget plan team room message").split(" ");

  /**
   * {@code length} characters of common words picked at random (seeded by {@code seed}), with now and
   * then a number and punctuation: no two messages alike, and deflate shrinks 2,000 characters of it to
   * 44%, about as it does English prose of that length, where "x" repeated would shrink to nothing.
   */
  static String words(int length, int seed) {
    java.util.Random random = new java.util.Random(seed);
    StringBuilder text = new StringBuilder(length + 16);
    while (text.length() < length) {
      text.append(WORDS[random.nextInt(WORDS.length)]);
      int r = random.nextInt(20);
      text.append(r == 0 ? ". " : r == 1 ? ", " : r == 2 ? " " + random.nextInt(10_000) + " " : " ");
    }
    return text.substring(0, length);
  }

  /** Registers a phase; messages sent with it are attributed to it. */
  @Override
  public synchronized Tally tally(String name, double offeredRate) {
    Tally t = new Tally(tallies.size(), name, offeredRate);
    tallies.add(t);
    return t;
  }

  /**
   * Sends one message from {@code client} to {@code roomId}, where {@code receivers} other sockets
   * should see it. Callable from any thread: the message is counted at once (so a phase knows what it
   * expects before the send itself runs) and sent from the client's event loop. {@code sendMicros}
   * is the time the message was due (open-loop schedules), or {@code -1} for the moment it is
   * written; {@code onAck} runs after the ack, on the client's event loop.
   */
  @Override
  public void send(SioClient client, String roomId, int receivers, Tally tally, long sendMicros, Runnable onAck) {
    tally.sent.increment();
    tally.expected.add(receivers);
    sent.increment();
    client.runLater(() -> emit(client, roomId, tally, sendMicros < 0 ? Clock.micros() : sendMicros, onAck));
  }

  private void emit(SioClient client, String roomId, Tally tally, long sendMicros, Runnable onAck) {
    String body = bodies[Math.floorMod(nextBody.getAndIncrement(), bodies.length)];
    String payload = payload(roomId, uuid(), body, sendMicros, tally.index);
    client.emit("send-message", payload, data -> {
      long latency = Clock.micros() - sendMicros;
      if (data == null) {
        tally.ackLost.increment();
        ackFailed.increment();
      } else if (data.startsWith("[{\"ok\":true")) {
        tally.recordAck(latency);
        ack.record(latency);
        acked.increment();
      } else {
        tally.ackErrors.increment();
        ackFailed.increment();
      }
      if (onAck != null) {
        onAck.run();
      }
    });
  }

  /** The listener for every socket of the run. */
  @Override
  public void onEvent(SioClient client, SioPacket packet) {
    String event = packet.event();
    if (CREATED.equals(event)) {
      String data = packet.data();
      int meta = data.indexOf("\"meta\":");
      long lt = meta < 0 ? -1 : JsonScan.longAfter(data, "\"lt\":", meta, -1);
      if (lt < 0) {
        other.increment();
        return;
      }
      long latency = Clock.micros() - lt;
      delivery.record(latency);
      delivered.increment();
      int index = (int) JsonScan.longAfter(data, "\"st\":", meta, -1);
      if (index >= 0 && index < tallies.size()) {
        tallies.get(index).recordDelivery(latency);
      }
    } else if (CONFIRMED.equals(event)) {
      confirmed.increment();
    } else {
      other.increment();
    }
  }

  static String payload(String roomId, String clientMsgId, String body, long sendMicros, int tally) {
    StringBuilder sb = new StringBuilder(roomId.length() + body.length() + 120);
    sb.append("{\"roomId\":\"").append(roomId).append("\",\"clientMsgId\":\"").append(clientMsgId)
        .append("\",\"body\":\"").append(body).append("\",\"meta\":{\"lt\":").append(sendMicros)
        .append(",\"st\":").append(tally).append("}}");
    return sb.toString();
  }

  /** A random (version 4) UUID without SecureRandom: idempotency keys need uniqueness, not secrecy. */
  static String uuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo).toString();
  }
}
