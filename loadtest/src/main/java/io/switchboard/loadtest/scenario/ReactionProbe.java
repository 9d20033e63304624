package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.engine.Window;
import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Counter;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.Metrics;
import io.switchboard.loadtest.protocol.JsonScan;
import io.switchboard.loadtest.protocol.SioClient;
import io.switchboard.loadtest.protocol.SioPacket;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reactions (docs/protocol.md, "Reactions") at a rate, measured as {@link MessageProbe} measures
 * messages: each room has one message, posted before the phases; a send is an {@code add-reaction} or
 * {@code remove-reaction} of its socket's user on it, and every other member's {@code message-reaction}
 * is a delivery. A socket alternates add and remove of one emoji of five, then the next emoji, so each
 * request changes something (a repeat would answer {@code changed: false} and announce nothing) and a
 * message carries at most one reaction per member. The event carries nothing of the sender's choosing
 * but the emoji, so the send time waits here, in the generator, under the change's key (message, user,
 * emoji, added or removed) until every receiver has heard it; a key recurs only after four other
 * changes of the same user, seconds later at any rate this runs.
 */
final class ReactionProbe implements Probe {
  static final String REACTION = "message-reaction";
  private static final String[] EMOJI = {":thumbsup:", ":heart:", ":tada:", ":eyes:", ":rocket:"};

  /** A change on its way: when it was due, its phase, the receivers yet to hear it. */
  private record InFlight(long sendMicros, Tally tally, AtomicInteger remaining) {}

  /** A member's user id and how many changes it made (touched on its socket's event loop only). */
  private static final class Member {
    final String userId;
    long changes;

    Member(String userId) {
      this.userId = userId;
    }
  }

  private final List<Tally> tallies = new CopyOnWriteArrayList<>();
  private final Map<String, String> messageOfRoom = new ConcurrentHashMap<>();
  private final Map<SioClient, Member> members = new ConcurrentHashMap<>();
  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  private final Latency delivery;
  private final Latency ack;
  private final Counter sent;
  private final Counter delivered;
  private final Counter acked;
  private final Counter ackFailed;
  private final Counter other;

  ReactionProbe(Metrics metrics) {
    this.delivery = metrics.latency("delivery");
    this.ack = metrics.latency("ack");
    this.sent = metrics.counter("sent");
    this.delivered = metrics.counter("delivered");
    this.acked = metrics.counter("acked");
    this.ackFailed = metrics.counter("ackFailed");
    this.other = metrics.counter("otherEvents");
  }

  /** Learns who is who, and posts each room's message (from its first member) that the reactions go to. */
  Future<Void> prepare(LoadContext ctx, Population population) {
    String prefix = ctx.settings().userPrefix();
    for (int r = 0; r < population.roomCount(); r++) {
      List<SioClient> clients = population.members(r);
      List<Integer> indices = population.indices(r);
      for (int j = 0; j < clients.size(); j++) {
        members.put(clients.get(j), new Member(prefix + "-u" + indices.get(j)));
      }
    }
    ctx.phase("posting a message in each of " + population.roomCount() + " rooms");
    return Window.run(ctx.main(), population.roomCount(), ctx.settings().setupConcurrency(), r -> {
      String roomId = population.roomId(r);
      List<SioClient> clients = population.members(r);
      if (roomId == null || clients.isEmpty()) {
        return Future.succeededFuture();
      }
      String payload = MessageProbe.payload(roomId, MessageProbe.uuid(), "react to this", Clock.micros(), -1);
      SioClient poster = clients.get(0);
      Future<String> ackData = Future.future(p -> poster.runOnContext(() ->
          poster.request("send-message", payload, ctx.settings().requestTimeoutMs()).onComplete(p)));
      return ackData.compose(data -> {
        int key = data.indexOf("\"id\":\"");
        if (!data.startsWith("[{\"ok\":true") || key < 0) {
          return Future.failedFuture("the reactions' message was refused in room " + roomId + ": " + data);
        }
        messageOfRoom.put(roomId, JsonScan.readString(data, key + 5, new int[1]));
        return Future.succeededFuture();
      });
    });
  }

  @Override
  public synchronized Tally tally(String name, double offeredRate) {
    Tally t = new Tally(tallies.size(), name, offeredRate);
    tallies.add(t);
    return t;
  }

  @Override
  public void send(SioClient client, String roomId, int receivers, Tally tally, long sendMicros, Runnable onAck) {
    tally.sent.increment();
    tally.expected.add(receivers);
    sent.increment();
    client.runLater(() -> emit(client, roomId, receivers, tally, sendMicros < 0 ? Clock.micros() : sendMicros, onAck));
  }

  private void emit(SioClient client, String roomId, int receivers, Tally tally, long sendMicros, Runnable onAck) {
    Member member = members.get(client);
    String messageId = messageOfRoom.get(roomId);
    if (member == null || messageId == null) {
      tally.skipped.increment();
      tally.expected.add(-receivers);
      return;
    }
    long change = member.changes++;
    String emoji = EMOJI[(int) ((change / 2) % EMOJI.length)];
    boolean add = change % 2 == 0;
    String key = key(messageId, member.userId, emoji, add);
    if (receivers > 0) {
      inFlight.put(key, new InFlight(sendMicros, tally, new AtomicInteger(receivers)));
    }
    String payload = "{\"roomId\":\"" + roomId + "\",\"messageId\":\"" + messageId + "\",\"emoji\":\"" + emoji + "\"}";
    client.emit(add ? "add-reaction" : "remove-reaction", payload, data -> {
      long latency = Clock.micros() - sendMicros;
      if (data == null) {
        tally.ackLost.increment();
        ackFailed.increment();
      } else if (data.startsWith("[{\"ok\":true") && data.contains("\"changed\":true")) {
        tally.recordAck(latency);
        ack.record(latency);
        acked.increment();
      } else {
        // Refused, or no change (announced to nobody): an error of the run either way.
        tally.ackErrors.increment();
        ackFailed.increment();
      }
      if (onAck != null) {
        onAck.run();
      }
    });
  }

  @Override
  public void onEvent(SioClient client, SioPacket packet) {
    if (!REACTION.equals(packet.event())) {
      other.increment();
      return;
    }
    String data = packet.data();
    String messageId = stringAfter(data, "\"messageId\":\"");
    String userId = stringAfter(data, "\"userId\":\"");
    String emoji = stringAfter(data, "\"emoji\":\"");
    InFlight change = messageId == null || userId == null || emoji == null ? null
        : inFlight.get(key(messageId, userId, emoji, data.contains("\"added\":true")));
    if (change == null) {
      other.increment();
      return;
    }
    long latency = Clock.micros() - change.sendMicros();
    delivery.record(latency);
    delivered.increment();
    change.tally().recordDelivery(latency);
    if (change.remaining().decrementAndGet() <= 0) {
      inFlight.remove(key(messageId, userId, emoji, data.contains("\"added\":true")), change);
    }
  }

  private static String key(String messageId, String userId, String emoji, boolean added) {
    return messageId + '|' + userId + '|' + emoji + (added ? '+' : '-');
  }

  /** The string value after the first {@code "key":"} (its opening quote included in the key). */
  private static String stringAfter(String json, String keyAndQuote) {
    int at = json.indexOf(keyAndQuote);
    return at < 0 ? null : JsonScan.readString(json, at + keyAndQuote.length() - 1, new int[1]);
  }
}
