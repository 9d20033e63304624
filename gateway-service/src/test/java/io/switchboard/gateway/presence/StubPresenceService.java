package io.switchboard.gateway.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.presence.PresenceBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * presence-service as the batcher sees it, scripted by the test: records every batch, and answers
 * each one now (known or not), later (held until released), or with UNAVAILABLE.
 */
final class StubPresenceService implements AutoCloseable {
  enum Answer { KNOWN, UNKNOWN, HOLD, UNAVAILABLE }

  final Vertx vertx = Vertx.vertx();
  final List<PresenceBatch> received = new CopyOnWriteArrayList<>();
  private final BlockingQueue<PresenceBatch> arrivals = new LinkedBlockingQueue<>();
  private final List<Message<PresenceBatch>> held = new CopyOnWriteArrayList<>();
  private volatile Answer answer = Answer.KNOWN;

  StubPresenceService() {
    BusCodecs.register(vertx);
    await(vertx.eventBus().<PresenceBatch>consumer(Addresses.PRESENCE_UPDATE, msg -> {
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
    }).completion());
  }

  void answer(Answer answer) {
    this.answer = answer;
  }

  /** Answers the held batches (known) and stops holding. */
  void release() {
    answer = Answer.KNOWN;
    held.forEach(msg -> msg.reply(true));
    held.clear();
  }

  PresenceBatch nextBatch() {
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

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
