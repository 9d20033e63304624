package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.embedded.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A deployed presence-service on the test Redis, with what a gateway would see: its requests over the
 * event bus and the fan-out events it receives. Blocking helpers are for the test thread only.
 */
final class ServiceHarness implements AutoCloseable {
  final PresenceFixture fixture = new PresenceFixture();
  final Vertx vertx = fixture.vertx;
  private final BlockingQueue<RoomEvent> fanout = new LinkedBlockingQueue<>();

  /** Reaper grace, as with a 400 ms lease. */
  static final long LEASE_MS = 400;

  ServiceHarness() {
    BusCodecs.register(vertx);
    await(vertx.eventBus().<RoomEvent>consumer(Addresses.GATEWAY_FANOUT, msg -> fanout.add(msg.body())).completion());
    await(vertx.deployVerticle(new PresenceVerticle(new PresenceConfig(TestServers.redisUri(), "127.0.0.1", 0, LEASE_MS))));
  }

  <T> Future<T> request(String address, Object body) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(3000)).map(Message::body);
  }

  /** The next user-status-changed fan-out event matching, within the timeout. */
  RoomEvent nextStatus(Predicate<JsonObject> matching, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      RoomEvent event;
      try {
        event = fanout.poll(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      if (event == null) {
        throw new AssertionError("no matching user-status-changed within " + timeoutMs + " ms");
      }
      if (event.event().equals("user-status-changed") && matching.test((JsonObject) event.data())) {
        return event;
      }
    }
  }

  /** Status events received so far and not yet taken. */
  int pendingStatusEvents() {
    return (int) fanout.stream().filter(e -> e.event().equals("user-status-changed")).count();
  }

  @Override
  public void close() {
    fixture.close();
  }
}
