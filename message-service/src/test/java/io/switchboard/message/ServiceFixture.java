package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.embedded.TestServers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * message-service deployed on a fresh database of the embedded Postgres, driven on the event bus as
 * the gateways drive it, for a test class's {@code @BeforeAll}: what it announces is gathered from the
 * gateways' fan-out address, and a few requests every such test makes (a room, a message) are one
 * call. The test thread blocks on the answers (never an event loop).
 */
final class ServiceFixture {
  final Vertx vertx;
  final MessageServiceConfig service;
  /** Every fan-out event, in the order published; {@link #next} takes from it. */
  final LinkedBlockingQueue<RoomEvent> fanout = new LinkedBlockingQueue<>();
  private Pool db;

  private ServiceFixture(Vertx vertx, MessageServiceConfig service) {
    this.vertx = vertx;
    this.service = service;
  }

  /** One instance with the default settings. */
  static ServiceFixture deploy(Vertx vertx) throws Exception {
    return deploy(vertx, config -> config, 1);
  }

  /** {@code instances} instances, with the defaults as {@code settings} changes them. */
  static ServiceFixture deploy(Vertx vertx, UnaryOperator<Config> settings, int instances) throws Exception {
    BusCodecs.register(vertx);
    Config config = settings.apply(Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase())
        .with(ConfigKey.MESSAGE_OPS_PORT, 0));
    ServiceFixture fixture = new ServiceFixture(vertx, MessageServiceConfig.from(config));
    vertx.eventBus().<RoomEvent>consumer(Addresses.GATEWAY_FANOUT, msg -> fixture.fanout.add(msg.body()));
    await(vertx.deployVerticle(() -> new MessageServiceVerticle(fixture.service), new DeploymentOptions().setInstances(instances)));
    return fixture;
  }

  /** A pool on the service's database, for what a test reads or writes past the service; closed by {@link #close}. */
  Pool db() {
    if (db == null) {
      db = PgBuilder.pool().connectingTo(service.postgres()).using(vertx).build();
    }
    return db;
  }

  void close() throws Exception {
    if (db != null) {
      await(db.close());
    }
  }

  /** A user of tenant acme of their own: the name and a random suffix, so that tests do not share users. */
  static Sender user(String name) {
    return new Sender("acme", name + "-" + UUID.randomUUID().toString().substring(0, 8), name);
  }

  /** A group room named team, of optimistic delivery. */
  Room room(Sender owner, Sender... members) throws Exception {
    return room(owner, "group", members);
  }

  /** A room of this kind named team, of optimistic delivery. */
  Room room(Sender owner, String kind, Sender... members) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(owner, "team", kind, "optimistic",
        Arrays.stream(members).map(Sender::userId).toList()));
  }

  /** A message as a gateway persists it from a socket of the sender's (which the room's confirmation leaves out). */
  static PersistRequest message(Sender sender, Room room, String body, String replyTo) {
    return new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, replyTo, null, "socket-1", "t");
  }

  PersistResult persist(PersistRequest request) throws Exception {
    return ask(vertx, Addresses.MESSAGE_PERSIST, request);
  }

  /** The stored message of {@link #message}. */
  ChatMessage send(Sender sender, Room room, String body) throws Exception {
    return send(sender, room, body, null);
  }

  /** The stored message of {@link #message}, a reply to {@code replyTo} unless null. */
  ChatMessage send(Sender sender, Room room, String body, String replyTo) throws Exception {
    return persist(message(sender, room, body, replyTo)).message();
  }

  /** The next fan-out event that matches, skipping others; fails after a few seconds. */
  RoomEvent next(Predicate<RoomEvent> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      RoomEvent e = fanout.poll(left, TimeUnit.NANOSECONDS);
      if (e != null && wanted.test(e)) {
        return e;
      }
    }
    throw new AssertionError("no such fan-out event");
  }
}
