package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.Addresses;
import io.switchboard.common.bus.BusCodecs;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.store.PartitionsJob;
import io.switchboard.message.store.RetentionSettings;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monthly partitions of messages (migration V24, docs/architecture.md "Partitioned messages") on a
 * real Postgres: made ahead, a message stored in its month's, a month dropped only past every room's
 * retention with history, search and threads still right, and sends idempotent across months.
 * Messages move to another month by changing their creation time; the job's clock moves instead of
 * the database's. The drops depend on every room of the database, so the tests run in order.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Partitioned messages in message-service")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionsTest {
  private static Pool db;
  private static final YearMonth THIS_MONTH = YearMonth.now(ZoneOffset.UTC);

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    BusCodecs.register(vertx);
    Config config = Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()).with(ConfigKey.MESSAGE_OPS_PORT, 0);
    MessageServiceConfig service = MessageServiceConfig.from(config);
    await(vertx.deployVerticle(new MessageServiceVerticle(service)));
    db = PgBuilder.pool().connectingTo(service.postgres()).using(vertx).build();
  }

  private static Sender user(String tenant) {
    return new Sender(tenant, "alice-" + UUID.randomUUID().toString().substring(0, 8), "alice");
  }

  private static PartitionsJob job(Map<String, Integer> tenantDays, int defaultDays, YearMonth month, SimpleMeterRegistry meters) {
    Instant at = month.atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
    Clock clock = month.equals(THIS_MONTH) ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC);
    return new PartitionsJob(db, new RetentionSettings(defaultDays, tenantDays, 3600, 100), 3, clock, meters);
  }

  private static List<String> partitions() throws Exception {
    List<String> names = new ArrayList<>();
    for (Row row : await(db.query("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        + "WHERE i.inhparent = 'messages'::regclass ORDER BY 1").execute())) {
      names.add(row.getString(0));
    }
    return names;
  }

  private static List<String> collations() throws Exception {
    List<String> names = new ArrayList<>();
    for (Row row : await(db.query("SELECT collation_name FROM information_schema.columns WHERE table_name = 'messages' "
        + "AND column_name IN ('room_id', 'client_msg_id', 'sender_id') ORDER BY column_name").execute())) {
      names.add(row.getString(0));
    }
    return names;
  }

  private static String name(YearMonth month) {
    return String.format("messages_y%04dm%02d", month.getYear(), month.getMonthValue());
  }

  /** The partition that holds a message. */
  private static String partitionOf(String messageId) throws Exception {
    return await(db.preparedQuery("SELECT tableoid::regclass::text FROM messages WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(messageId)))).iterator().next().getString(0);
  }

  /** Moves a message to the 10th of {@code month}. */
  private static void moveTo(String messageId, YearMonth month) throws Exception {
    OffsetDateTime at = month.atDay(10).atStartOfDay().atOffset(ZoneOffset.UTC);
    await(db.preparedQuery("UPDATE messages SET created_at = $2 WHERE id = $1").execute(Tuple.of(UUID.fromString(messageId), at)));
  }

  private static PersistResult send(Vertx vertx, Sender sender, Room room, String clientMsgId, String body, String replyTo)
      throws Exception {
    return ask(vertx, Addresses.MESSAGE_PERSIST, new PersistRequest(sender, room.id(), clientMsgId, body, replyTo, null, null, "t"));
  }

  private static Room room(Vertx vertx, Sender owner) throws Exception {
    return ask(vertx, Addresses.ROOM_CREATE, new CreateRoomRequest(owner, "team", "group", "optimistic", List.of()));
  }

  private static List<String> history(Vertx vertx, Sender user, Room room) throws Exception {
    HistoryPage page = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(user, room.id(), null, null, 100));
    return page.messages().stream().map(ChatMessage::body).toList();
  }

  @Test
  @Order(1)
  @DisplayName("the service makes this month's partition and three ahead; a later pass makes the months it lacks, once")
  void madeAhead() throws Exception {
    List<String> months = List.of(name(THIS_MONTH), name(THIS_MONTH.plusMonths(1)), name(THIS_MONTH.plusMonths(2)),
        name(THIS_MONTH.plusMonths(3)));
    assertTrue(partitions().containsAll(months), partitions().toString());
    assertTrue(partitions().contains("messages_default"));
    assertEquals(List.of("C", "C", "C"), collations(), "identifiers compare byte by byte, as since V6");

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    YearMonth later = THIS_MONTH.plusMonths(2);
    PartitionsJob.Pass pass = await(job(Map.of(), 0, later, meters).run());
    assertEquals(List.of(name(later.plusMonths(2)), name(later.plusMonths(3))), pass.created());
    assertEquals(List.of(), pass.dropped(), "RETENTION_DAYS 0 keeps every month");
    assertEquals(2.0, meters.get("switchboard.partitions.created").counter().count());
    assertTrue(partitions().containsAll(pass.created()));
    assertEquals(List.of(), await(job(Map.of(), 0, later, meters).run()).created(), "nothing more to make");
  }

  @Test
  @Order(2)
  @DisplayName("a message is stored in its month's partition and moves with its month; history reads across months")
  void storedInItsMonth(Vertx vertx) throws Exception {
    Sender alice = user("t" + UUID.randomUUID().toString().substring(0, 8));
    Room room = room(vertx, alice);
    PersistResult first = send(vertx, alice, room, UUID.randomUUID().toString(), "now", null);
    assertEquals(name(THIS_MONTH), partitionOf(first.message().id()));
    PersistResult second = send(vertx, alice, room, UUID.randomUUID().toString(), "next month", null);
    moveTo(second.message().id(), THIS_MONTH.plusMonths(1));
    assertEquals(name(THIS_MONTH.plusMonths(1)), partitionOf(second.message().id()));
    PersistResult third = send(vertx, alice, room, UUID.randomUUID().toString(), "long ago", null);
    moveTo(third.message().id(), THIS_MONTH.minusYears(5));
    assertEquals("messages_default", partitionOf(third.message().id()), "no month made for it");
    assertEquals(List.of("now", "next month", "long ago"), history(vertx, alice, room), "by seq, whatever the month");
  }

  @Test
  @Order(3)
  @DisplayName("a retried send is answered with the first one from another month, alone or in a batch with new ones")
  void idempotentAcrossMonths(Vertx vertx) throws Exception {
    Sender alice = user("t" + UUID.randomUUID().toString().substring(0, 8));
    Room room = room(vertx, alice);
    String clientMsgId = UUID.randomUUID().toString();
    PersistResult first = send(vertx, alice, room, clientMsgId, "once", null);
    moveTo(first.message().id(), THIS_MONTH.minusMonths(1));
    assertFalse(partitionOf(first.message().id()).equals(name(THIS_MONTH)));

    PersistResult retry = send(vertx, alice, room, clientMsgId, "once", null);
    assertTrue(retry.duplicate());
    assertEquals(first.message().id(), retry.message().id());
    assertEquals(first.message().seq(), retry.message().seq());
    PersistResult fresh = send(vertx, alice, room, UUID.randomUUID().toString(), "twice", null);
    assertEquals(2L, fresh.message().seq(), "the retry took no seq");
    assertEquals(List.of("once", "twice"), history(vertx, alice, room));
    assertEquals(1L, await(db.preparedQuery("SELECT count(*) FROM messages WHERE room_id = $1 AND client_msg_id = $2")
        .execute(Tuple.of(room.id(), clientMsgId))).iterator().next().getLong(0));
  }

  @Test
  @Order(4)
  @DisplayName("a month is dropped only once it is past every room's retention; history, joins, search and threads are right after")
  void droppedPastRetention(Vertx vertx) throws Exception {
    // Months before this one, as a database that ran for a while has.
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    YearMonth old = THIS_MONTH.minusMonths(4);
    PartitionsJob.Pass back = await(job(Map.of(), 0, THIS_MONTH.minusMonths(6), meters).run());
    assertTrue(back.created().contains(name(old)), back.toString());

    String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    Sender alice = user(tenant);
    Room room = room(vertx, alice);
    PersistResult root = send(vertx, alice, room, UUID.randomUUID().toString(), "ancient aardvark", null);
    send(vertx, alice, room, UUID.randomUUID().toString(), "ancient reply", root.message().id());
    ask(vertx, Addresses.MESSAGE_REACT, new ReactionChange(alice, room.id(), root.message().id(), "👍", true, null));
    PersistResult kept = send(vertx, alice, room, UUID.randomUUID().toString(), "recent aardvark", null);
    send(vertx, alice, room, UUID.randomUUID().toString(), "recent reply", kept.message().id());
    for (ChatMessage m : ((HistoryPage) ask(vertx, Addresses.MESSAGE_HISTORY,
        new HistoryRequest(alice, room.id(), null, null, 100))).messages()) {
      if (m.body().startsWith("ancient")) {
        moveTo(m.id(), old);
      }
    }
    assertEquals(name(old), partitionOf(root.message().id()));

    // Rooms other tests made keep theirs forever (RETENTION_DAYS 0): no month goes.
    assertEquals(List.of(), await(job(Map.of(tenant, 30), 0, THIS_MONTH, meters).run()).dropped());
    // A room that keeps its messages forever holds every month back, whatever the others say.
    assertEquals(List.of(), await(job(Map.of(tenant, 0), 30, THIS_MONTH, meters).run()).dropped());
    assertTrue(partitions().contains(name(old)));

    PartitionsJob.Pass pass = await(job(Map.of(), 30, THIS_MONTH, meters).run());
    assertTrue(pass.dropped().containsAll(List.of(name(THIS_MONTH.minusMonths(6)), name(old), name(THIS_MONTH.minusMonths(3)))),
        pass.toString());
    assertFalse(pass.dropped().contains(name(THIS_MONTH)));
    assertFalse(partitions().contains(name(old)));
    assertTrue(partitions().containsAll(List.of(name(THIS_MONTH), name(THIS_MONTH.plusMonths(3)), "messages_default")));
    assertEquals((double) pass.dropped().size(), meters.get("switchboard.partitions.dropped").counter().count());

    assertEquals(List.of("recent aardvark", "recent reply"), history(vertx, alice, room));
    JoinResult joined = ask(vertx, Addresses.ROOM_JOIN, new JoinRequest(alice, room.id(), 0L, 100));
    assertEquals(2L, joined.expiredSeq(), "a join tells where history now starts");
    assertEquals(List.of(3L, 4L), joined.missed().stream().map(ChatMessage::seq).toList());
    MessageSearchPage found = ask(vertx, Addresses.MESSAGE_SEARCH, MessageSearchRequest.of(alice, "aardvark", room.id(), null, null));
    assertEquals(List.of("recent aardvark"), found.hits().stream().map(h -> h.message().body()).toList());
    ThreadPage thread = ask(vertx, Addresses.MESSAGE_THREAD, new ThreadRequest(alice, room.id(), kept.message().id(), null, null, 10));
    assertEquals(List.of("recent reply"), thread.messages().stream().map(ChatMessage::body).toList());
    assertEquals(0L, await(db.preparedQuery("SELECT count(*) FROM message_reactions WHERE message_id = $1")
        .execute(Tuple.of(UUID.fromString(root.message().id())))).iterator().next().getLong(0), "its reactions went with it");
    assertEquals(0L, await(db.preparedQuery("SELECT count(*) FROM message_client_ids WHERE room_id = $1 AND seq <= 2")
        .execute(Tuple.of(room.id()))).iterator().next().getLong(0), "and its idempotency keys");

    PersistResult after = send(vertx, alice, room, UUID.randomUUID().toString(), "still writing", null);
    assertEquals(5L, after.message().seq());
  }
}
