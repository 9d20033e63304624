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
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.store.RetentionJob;
import io.switchboard.message.store.RetentionSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention (docs/operations.md, "Retention") on a real Postgres: the job deletes what is past the
 * room's, its tenant's or the default days, in batches, once whatever number of jobs run, and joins
 * tell clients where history now starts. Messages are aged by moving their creation time back.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Retention in message-service")
class RetentionTest {
  private static Pool db;
  private static MessageServiceConfig service;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    BusCodecs.register(vertx);
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    service = MessageServiceConfig.from(config);
    await(vertx.deployVerticle(new MessageServiceVerticle(service)));
    db = PgBuilder.pool().connectingTo(service.postgres()).using(vertx).build();
  }

  private static Sender user(String tenant) {
    return new Sender(tenant, "alice-" + UUID.randomUUID().toString().substring(0, 8), "alice");
  }

  /** A room of {@code owner}'s with {@code old} messages {@code ageDays} old, then {@code fresh} new ones. */
  private static Room roomWith(Vertx vertx, Sender owner, int old, int ageDays, int fresh) throws Exception {
    Room room = ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(owner, "team", "group", "optimistic", List.of()));
    for (int i = 0; i < old + fresh; i++) {
      PersistResult stored = ask(vertx, Addresses.MESSAGE_PERSIST,
          new PersistRequest(owner, room.id(), UUID.randomUUID().toString(), "m" + (i + 1), null, null, null, "t"));
      if (i < old) {
        await(db.preparedQuery("UPDATE messages SET created_at = now() - make_interval(days => $2) WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(stored.message().id()), ageDays)));
      }
    }
    return room;
  }

  private static List<String> history(Vertx vertx, Sender user, Room room) throws Exception {
    HistoryPage page = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(user, room.id(), null, null, 100));
    return page.messages().stream().map(ChatMessage::body).toList();
  }

  private static RetentionJob job(int defaultDays, Map<String, Integer> tenants, SimpleMeterRegistry meters) {
    return new RetentionJob(db, new RetentionSettings(defaultDays, tenants, 3600, 2), meters);
  }

  @Test
  @DisplayName("the tenant's days, then the room's own: older messages go in batches with their reactions, the rest stay; a join says up to which seq history is gone and counts none of it unread")
  void tenantThenRoom(Vertx vertx) throws Exception {
    String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    Sender alice = user(tenant);
    Room room = roomWith(vertx, alice, 5, 40, 2);
    HistoryPage first = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(alice, room.id(), 2L, null, 1));
    String oldest = first.messages().get(0).id();
    ask(vertx, Addresses.MESSAGE_REACT, new ReactionChange(alice, room.id(), oldest, "👍", true, null));
    Sender bob = user("other-" + tenant);
    Room kept = roomWith(vertx, bob, 3, 40, 0);

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    long deleted = await(job(0, Map.of(tenant, 30), meters).run());
    assertEquals(5, deleted, "the tenant's 30 days: five of its messages, in batches of two");
    assertEquals(5.0, meters.get("switchboard.retention.deleted").counter().count());
    assertEquals(List.of("m6", "m7"), history(vertx, alice, room));
    assertEquals(3, history(vertx, bob, kept).size(), "another tenant keeps them forever");
    assertEquals(0L, await(db.preparedQuery("SELECT count(*) FROM message_reactions WHERE message_id = $1")
        .execute(Tuple.of(UUID.fromString(oldest)))).iterator().next().getLong(0), "the reactions went with their message");

    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(alice, room.id(), 0L, 100));
    assertEquals(5, joined.expiredSeq());
    assertEquals(List.of(6L, 7L), joined.missed().stream().map(ChatMessage::seq).toList());
    assertEquals(2, joined.unread(), "what is gone is not unread");
    assertEquals(0, await(job(0, Map.of(tenant, 30), meters).run()), "nothing more to delete");

    ask(vertx, Addresses.ROOM_CHANGE, new RoomChange(alice, room.id(), RoomChange.Action.UPDATE, null, null, null, 1));
    await(db.preparedQuery("UPDATE messages SET created_at = now() - interval '2 days' WHERE room_id = $1 AND seq = 6")
        .execute(Tuple.of(room.id())));
    assertEquals(1, await(job(0, Map.of(tenant, 30), meters).run()), "the room's own day");
    assertEquals(List.of("m7", alice.userId() + " set the room to keep messages 1 days"), history(vertx, alice, room));
  }

  @Test
  @DisplayName("two jobs at once (two message-service processes) delete each message once")
  void oneAtATime(Vertx vertx) throws Exception {
    String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    Sender alice = user(tenant);
    Room room = roomWith(vertx, alice, 9, 10, 1);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<Long> runs = await(Future.all(job(0, Map.of(tenant, 7), meters).run(), job(0, Map.of(tenant, 7), meters).run()))
        .list();
    assertEquals(9, runs.get(0) + runs.get(1));
    assertEquals(List.of("m10"), history(vertx, alice, room));
  }
}
