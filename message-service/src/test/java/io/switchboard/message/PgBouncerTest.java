package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.EmbeddedPgBouncer;
import io.switchboard.embedded.EmbeddedPostgres;
import io.switchboard.message.store.RetentionJob;
import io.switchboard.message.store.RetentionSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * message-service through a real PgBouncer in transaction mode (PG_TRANSACTION_POOLING; Debian's
 * PgBouncer 1.18, which keeps no prepared statement across server connections) with two server
 * connections, so that every client connection's statements and transactions take turns on them:
 * the migrations, concurrent sends, history, search, an edit and a retention pass.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("message-service through PgBouncer in transaction mode")
class PgBouncerTest {
  private static EmbeddedPostgres postgres;
  private static EmbeddedPgBouncer bouncer;
  private static MessageServiceConfig service;
  private static Pool throughBouncer;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    postgres = EmbeddedPostgres.startTemporary("pgbouncer-pg");
    postgres.ensureDatabase("chat");
    bouncer = EmbeddedPgBouncer.start(postgres.port(), 2);
    BusCodecs.register(vertx);
    Config config = Config.defaults()
        .with(ConfigKey.PG_URL, bouncer.uri("chat"))
        .with(ConfigKey.PG_TRANSACTION_POOLING, true)
        .with(ConfigKey.MESSAGE_OPS_PORT, 0);
    service = MessageServiceConfig.from(config);
    await(vertx.deployVerticle(new MessageServiceVerticle(service)));
    throughBouncer = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(service.postgres()).using(vertx).build();
  }

  @AfterAll
  static void stop() {
    bouncer.close();
  }

  private static ChatMessage send(Vertx vertx, Sender sender, Room room, String body) throws Exception {
    PersistResult stored = ask(vertx, Addresses.MESSAGE_PERSIST,
        new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, null, null, "s1", "t"));
    return stored.message();
  }

  private static List<String> history(Vertx vertx, Sender reader, Room room) throws Exception {
    HistoryPage page = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(reader, room.id(), null, null, 100));
    return page.messages().stream().map(ChatMessage::body).toList();
  }

  @Test
  @DisplayName("sends from many at once, history, search and an edit: each as without PgBouncer")
  void chat(Vertx vertx) throws Exception {
    Sender alice = new Sender("acme", "alice-" + UUID.randomUUID().toString().substring(0, 8), "alice");
    Sender bob = new Sender("acme", "bob-" + UUID.randomUUID().toString().substring(0, 8), "bob");
    List<Room> rooms = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      rooms.add(ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "team " + r, "group", "optimistic", List.of(bob.userId()))));
    }
    // 60 sends at once over three rooms: batched write transactions and pipelined statements share two server connections.
    List<Future<Object>> sends = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Room room = rooms.get(i % 3);
      sends.add(vertx.eventBus().request(Addresses.MESSAGE_PERSIST, new PersistRequest(i % 2 == 0 ? alice : bob, room.id(),
          UUID.randomUUID().toString(), "m" + i, null, null, "s1", "t")).map(m -> m.body()));
    }
    await(Future.all(sends));
    for (int r = 0; r < 3; r++) {
      int room = r;
      assertEquals(IntStream.range(0, 60).filter(i -> i % 3 == room).mapToObj(i -> "m" + i).toList(),
          history(vertx, bob, rooms.get(r)), "every message, in the order sent");
    }
    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(bob, rooms.get(1).id(), 15L, 100));
    assertEquals(List.of("m46", "m49", "m52", "m55", "m58"), joined.missed().stream().map(ChatMessage::body).toList(),
        "what bob missed since seq 15 of the room");
    ChatMessage kickoff = send(vertx, alice, rooms.get(0), "kickoff at nine");
    ask(vertx, Addresses.MESSAGE_EDIT, new MessageEdit(alice, rooms.get(0).id(), kickoff.id(), "kickoff at ten", null));
    MessageSearchPage found = ask(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(bob, "kickoff", null, null, null));
    assertEquals(List.of("kickoff at ten"), found.hits().stream().map(h -> h.message().body()).toList());
  }

  @Test
  @DisplayName("a retention pass deletes the expired messages, two at once each message once")
  void retention(Vertx vertx) throws Exception {
    String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    Sender alice = new Sender(tenant, "alice", "alice");
    Room room = ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(alice, "team", "group", "optimistic", List.of()));
    for (int i = 1; i <= 7; i++) {
      ChatMessage sent = send(vertx, alice, room, "m" + i);
      if (i <= 5) {
        await(throughBouncer.preparedQuery("UPDATE messages SET created_at = now() - interval '40 days' WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(sent.id()))));
      }
    }
    RetentionSettings settings = new RetentionSettings(0, Map.of(tenant, 30), 3600, 2);
    List<Long> runs = await(Future.all(new RetentionJob(throughBouncer, settings, new SimpleMeterRegistry()).run(),
        new RetentionJob(throughBouncer, settings, new SimpleMeterRegistry()).run())).list();
    assertEquals(5, runs.get(0) + runs.get(1));
    assertEquals(List.of("m6", "m7"), history(vertx, alice, room));
    assertEquals(0L, await(new RetentionJob(throughBouncer, settings, new SimpleMeterRegistry()).run()), "nothing more");
  }
}
