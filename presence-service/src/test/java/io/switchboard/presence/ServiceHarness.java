package io.switchboard.presence;

import static io.switchboard.presence.PresenceFixture.await;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.fanout.RoomEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A deployed presence-service on the test Redis, with what a gateway would see: its requests over the
 * event bus and the fan-out events it receives. Blocking helpers are for the test thread only.
 */
final class ServiceHarness implements AutoCloseable {
  final PresenceFixture fixture;
  final Vertx vertx;
  private final List<RoomEvent> fanout = new ArrayList<>();

  /** Reaper grace, as with a 400 ms lease. */
  static final long LEASE_MS = 400;

  ServiceHarness() {
    this(new PresenceFixture());
  }

  /** On the fixture's Redis (a server, or a cluster). */
  ServiceHarness(PresenceFixture fixture) {
    this.fixture = fixture;
    this.vertx = fixture.vertx;
    BusCodecs.register(vertx);
    await(vertx.eventBus().<RoomEvent>consumer(Addresses.GATEWAY_FANOUT, msg -> {
      synchronized (fanout) {
        fanout.add(msg.body());
        fanout.notifyAll();
      }
    }).completion());
    await(vertx.deployVerticle(new PresenceVerticle(new PresenceConfig(fixture.target, "127.0.0.1", 0, LEASE_MS, 250, ""))));
  }

  <T> Future<T> request(String address, Object body) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(3000)).map(Message::body);
  }

  /** The first user-status-changed fan-out event received so far, or within the timeout, that matches. */
  RoomEvent awaitStatus(Predicate<JsonObject> matching, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (fanout) {
      while (true) {
        for (RoomEvent event : fanout) {
          if (event.event().equals("user-status-changed") && matching.test((JsonObject) event.data())) {
            return event;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("no matching user-status-changed within " + timeoutMs + " ms; got " + fanout);
        }
        try {
          fanout.wait(left);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  @Override
  public void close() {
    fixture.close();
  }
}
