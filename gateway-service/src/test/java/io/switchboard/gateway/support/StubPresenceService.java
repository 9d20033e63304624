package io.switchboard.gateway.support;

import static io.switchboard.gateway.support.Await.await;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * presence-service as a gateway sees it, scripted by the test: records every batch and answers each
 * one now (known or not), later (held until released), or with UNAVAILABLE; renews leases; admits
 * connections under the device limit, refuses them, or does not answer; answers who is online in a
 * room, or UNAVAILABLE.
 */
public final class StubPresenceService implements AutoCloseable {
  public enum Answer { KNOWN, UNKNOWN, HOLD, UNAVAILABLE }

  /** How the device limit answers: admit, refuse with USER_CONNECTION_LIMIT, or not at all. */
  public enum Admit { ADMIT, REFUSE, SILENT }

  public final Vertx vertx;
  public final List<PresenceBatch> received = new CopyOnWriteArrayList<>();
  private final boolean ownsVertx;
  private final BlockingQueue<PresenceBatch> arrivals = new LinkedBlockingQueue<>();
  private final List<Message<PresenceBatch>> held = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> online = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> away = new ConcurrentHashMap<>();
  private volatile Answer answer = Answer.KNOWN;
  private volatile Admit admit = Admit.ADMIT;
  private volatile boolean queriesFail;

  /** On a Vert.x of its own, closed with it. */
  public StubPresenceService() {
    this(Vertx.vertx(), true);
    BusCodecs.register(vertx);
  }

  /** On the test's Vert.x (its codecs registered already). */
  public StubPresenceService(Vertx vertx) {
    this(vertx, false);
  }

  private StubPresenceService(Vertx vertx, boolean ownsVertx) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    await(vertx.eventBus().<PresenceBatch>consumer(Addresses.PRESENCE_UPDATE, this::batch).completion());
    await(vertx.eventBus().consumer(Addresses.PRESENCE_HEARTBEAT, msg -> msg.reply(true)).completion());
    await(vertx.eventBus().<AdmitRequest>consumer(Addresses.PRESENCE_ADMIT, msg -> {
      switch (admit) {
        case ADMIT -> msg.reply(null);
        case REFUSE -> msg.fail(ErrorCode.USER_CONNECTION_LIMIT.busCode(),
            "at most " + msg.body().limit() + " connections per user");
        case SILENT -> { }
      }
    }).completion());
    await(vertx.eventBus().<PresenceQuery>consumer(Addresses.PRESENCE_QUERY, msg -> {
      if (queriesFail) {
        msg.fail(ErrorCode.UNAVAILABLE.busCode(), "redis down");
      } else {
        msg.reply(new RoomPresence(msg.body().roomId(), online.getOrDefault(msg.body().roomId(), List.of()),
            away.get(msg.body().roomId())));
      }
    }).completion());
  }

  private void batch(Message<PresenceBatch> msg) {
    Answer now = answer;  // before the test can see the arrival and script the next answer
    if (now == Answer.HOLD) {
      held.add(msg);
    }
    received.add(msg.body());
    arrivals.add(msg.body());
    switch (now) {
      case KNOWN -> msg.reply(true);
      case UNKNOWN -> msg.reply(false);
      case HOLD -> { }
      case UNAVAILABLE -> msg.fail(ErrorCode.UNAVAILABLE.busCode(), "redis down");
    }
  }

  public void answer(Answer answer) {
    this.answer = answer;
  }

  public void admit(Admit admit) {
    this.admit = admit;
  }

  /** Who presence says is online in the room, from now on. */
  public void online(String roomId, List<String> users) {
    online.put(roomId, List.copyOf(users));
  }

  /** Who of the room's online users presence says is away, since when (epoch ms), from now on. */
  public void away(String roomId, Map<String, Long> users) {
    away.put(roomId, Map.copyOf(users));
  }

  /** The next update of {@code kind} any batch carries (earlier ones are skipped). */
  public io.switchboard.common.presence.PresenceUpdate nextUpdate(io.switchboard.common.presence.PresenceUpdate.Kind kind) {
    while (true) {
      for (var update : nextBatch().updates()) {
        if (update.kind() == kind) {
          return update;
        }
      }
    }
  }

  /** From now on, who-is-online queries fail with UNAVAILABLE (Redis down). */
  public void failQueries() {
    queriesFail = true;
  }

  /** Answers the held batches (known) and stops holding. */
  public void release() {
    answer = Answer.KNOWN;
    held.forEach(msg -> msg.reply(true));
    held.clear();
  }

  public PresenceBatch nextBatch() {
    try {
      PresenceBatch batch = arrivals.poll(5, TimeUnit.SECONDS);
      if (batch == null) {
        throw new AssertionError("no batch arrived; received " + received);
      }
      return batch;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (ownsVertx) {
      await(vertx.close());
    }
  }
}
