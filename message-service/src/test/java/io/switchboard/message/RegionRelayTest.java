package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.store.RegionFeed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two regions' message-services on one Postgres, each on an event bus of its own as two clusters are
 * (docs/architecture.md, "Regions"): what one stores reaches the other's gateways' fan-out, once,
 * durable, with its seq; a region never relays its own messages back.
 */
@DisplayName("Regions: the relay between message-services sharing one primary")
class RegionRelayTest {
  private static final String DB = TestServers.freshDatabase();
  private static final Vertx regionA = Vertx.vertx();
  private static final Vertx regionB = Vertx.vertx();
  private static final LinkedBlockingQueue<RoomEvent> FANOUT_A = new LinkedBlockingQueue<>();
  private static final LinkedBlockingQueue<RoomEvent> FANOUT_B = new LinkedBlockingQueue<>();

  @BeforeAll
  static void deploy() throws Exception {
    deploy(regionA, "a", FANOUT_A);
    deploy(regionB, "b", FANOUT_B);
  }

  private static void deploy(Vertx vertx, String region, LinkedBlockingQueue<RoomEvent> fanout) throws Exception {
    BusCodecs.register(vertx);
    vertx.eventBus().<RoomEvent>consumer(Addresses.GATEWAY_FANOUT, msg -> fanout.add(msg.body()));
    Config config = Config.defaults().with(ConfigKey.PG_URL, DB).with(ConfigKey.MESSAGE_OPS_PORT, 0)
        .with(ConfigKey.REGION, region);
    await(vertx.deployVerticle(new MessageServiceVerticle(MessageServiceConfig.from(config))));
  }

  @AfterAll
  static void close() throws Exception {
    await(regionA.close());
    await(regionB.close());
  }

  private static ChatMessage send(Vertx region, Room room, Sender sender, String body) throws Exception {
    return ((PersistResult) ask(region, Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, null, null, "socket-1", "t"))).message();
  }

  /** The next relayed message of the room: a durable {@code room-message-created} to the room itself. */
  private static RoomEvent relayed(LinkedBlockingQueue<RoomEvent> fanout, String roomId, List<RoomEvent> skipped)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      RoomEvent e = fanout.poll(left, TimeUnit.NANOSECONDS);
      if (e != null && e.room().equals(ClientEvents.chatRoom(roomId)) && ClientEvents.MESSAGE_CREATED.equals(e.event())) {
        return e;
      }
      if (e != null) {
        skipped.add(e);
      }
    }
    throw new AssertionError("no relayed message in the room");
  }

  @Test
  @DisplayName("a message stored in one region reaches the other region's fan-out once, durable, with its seq and sender; "
      + "never back to its own region; anything else on the channel is ignored")
  void relaysAcross() throws Exception {
    Sender alice = new Sender("acme", "alice-" + UUID.randomUUID().toString().substring(0, 8), "Alice");
    Sender bob = new Sender("acme", "bob-" + UUID.randomUUID().toString().substring(0, 8), "Bob");
    Room room = ask(regionA, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "across", "group", "optimistic",
        List.of(bob.userId())));

    ChatMessage fromA = send(regionA, room, alice, "hello from A");
    RoomEvent inB = relayed(FANOUT_B, room.id(), new ArrayList<>());
    JsonObject created = ((JsonObject) inB.data()).getJsonObject("new");
    assertEquals(fromA.id(), created.getString("id"));
    assertEquals(fromA.seq(), inB.seq());
    assertEquals(false, created.getBoolean("optimistic"));
    assertEquals("hello from A", created.getString("body"));
    assertEquals(ClientEvents.userRoom("acme", alice.userId()), inB.from(), "hidden from those who block Alice");

    // Noise on the channel: ignored.
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(DB)).using(regionA).build();
    try {
      await(pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(RegionFeed.CHANNEL, "not a notice")));
    } finally {
      await(pool.close());
    }

    ChatMessage fromB = send(regionB, room, bob, "hello from B");
    List<RoomEvent> skippedInA = new ArrayList<>();
    RoomEvent inA = relayed(FANOUT_A, room.id(), skippedInA);
    assertEquals(fromB.id(), ((JsonObject) inA.data()).getJsonObject("new").getString("id"));
    assertEquals(fromA.seq() + 1, inA.seq());
    // Region A's notice of its own message came before B's: had A relayed it to itself, it would be here.
    assertTrue(skippedInA.stream().noneMatch(e -> ClientEvents.MESSAGE_CREATED.equals(e.event())
        && e.room().equals(ClientEvents.chatRoom(room.id()))), "A relayed nothing of its own");
    // Region B's own message reached its fan-out as a confirmation, never relayed to itself; the next
    // room-message-created to the room itself in B is the one region A sends after this.
    ChatMessage again = send(regionA, room, alice, "again from A");
    List<RoomEvent> skippedInB = new ArrayList<>();
    RoomEvent next = relayed(FANOUT_B, room.id(), skippedInB);
    assertEquals(again.id(), ((JsonObject) next.data()).getJsonObject("new").getString("id"),
        "B relayed nothing of its own, nor A's message twice");
    assertTrue(skippedInB.stream().anyMatch(e -> ClientEvents.MESSAGE_CONFIRMED.equals(e.event())), "B confirmed its own message");
  }

  @Test
  @DisplayName("a relay that lost its connection catches up when it listens again: what the other region stored meanwhile "
      + "in the rooms it knows is delivered")
  void catchesUpAfterItsConnectionIsLost() throws Exception {
    Sender alice = new Sender("acme", "alice-" + UUID.randomUUID().toString().substring(0, 8), "Alice");
    Room room = ask(regionA, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "catch-up", "group", "optimistic", List.of()));
    ChatMessage first = send(regionA, room, alice, "before");
    assertEquals(first.id(), ((JsonObject) relayed(FANOUT_B, room.id(), new ArrayList<>()).data()).getJsonObject("new").getString("id"));

    // Both relays' listening sessions end (as a failover or a dead link ends them); each connects again after 1 s.
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(DB)).using(regionA).build();
    try {
      String listeners = "FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()";
      int ended = await(pool.query("SELECT pg_terminate_backend(pid) " + listeners).execute()).size();
      assertEquals(2, ended, "one listening session per region");
      long deadline = System.currentTimeMillis() + 5_000;
      while (await(pool.query("SELECT 1 " + listeners).execute()).size() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      // No one listens: region A's notice of this message reaches nobody.
      ChatMessage missed = send(regionA, room, alice, "while B was not listening");
      RoomEvent caughtUp = relayed(FANOUT_B, room.id(), new ArrayList<>());
      assertEquals(missed.id(), ((JsonObject) caughtUp.data()).getJsonObject("new").getString("id"));
      assertEquals(missed.seq(), caughtUp.seq());
    } finally {
      await(pool.close());
    }
  }

  @Test
  @DisplayName("the relay needs a session connection: with PG_TRANSACTION_POOLING it refuses to start, naming the keys; "
      + "without REGION there is no relay")
  void relayConfig() {
    Config pooled = Config.defaults().with(ConfigKey.PG_URL, "postgresql://u:p@127.0.0.1:6432/db")
        .with(ConfigKey.PG_TRANSACTION_POOLING, true).with(ConfigKey.REGION, "eu");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> MessageServiceConfig.from(pooled));
    assertTrue(e.getMessage().contains("REGION_RELAY") && e.getMessage().contains("PG_TRANSACTION_POOLING"), e.getMessage());
    assertEquals(false, MessageServiceConfig.from(pooled.with(ConfigKey.REGION_RELAY, false)).regionRelay());
    assertEquals(false, MessageServiceConfig.from(Config.defaults().with(ConfigKey.PG_URL, DB)).regionRelay());
  }
}
