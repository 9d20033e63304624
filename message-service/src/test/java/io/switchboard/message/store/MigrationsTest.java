package io.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TempDirs;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.MessageServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Upgrading a database that the previous release migrated (to V7), as a rolling upgrade does. */
@ExtendWith(VertxExtension.class)
class MigrationsTest {
  private static final Sender ALICE = new Sender("acme", "alice", "Alice");

  @Test
  @DisplayName("a database at V7 gets the repeatable write function, which checks rights, and keeps V7's for the previous release's writers")
  void repeatableAfterV7(Vertx vertx, VertxTestContext ctx) throws Exception {
    PgConnectOptions db = atV7();
    Pool pool = PgBuilder.pool().connectingTo(db).using(vertx).build();
    PgMessageStore store = new PgMessageStore(pool, pool, null);
    String oldSignature = "SELECT count(*) FROM pg_proc WHERE proname = 'persist_messages' AND pronargs = 8";
    int pending = versionsAfter(7) + 1;
    Migrations.apply(vertx, db)
        .compose(applied -> store.createRoom(new CreateRoomRequest(ALICE, "room", "group", "optimistic", List.of())).map(CreatedRoom::room)
            .compose(room -> WriteBatch.write(pool, List.of(
                new Posting(new PersistRequest(ALICE, room.id(), "a", "hi", null, null, null, "t"), Envelope.Source.GATEWAY),
                new Posting(new PersistRequest(new Sender("acme", "mallory", null), room.id(), "b", "hi", null, null, null, "t"),
                    Envelope.Source.GATEWAY))))
            .compose(outcomes -> pool.query(oldSignature).execute().map(rows -> {
              assertEquals(pending, applied, "V8 and later, and the repeatable migration were pending");
              assertEquals(1L, outcomes.get(0).stored().result().message().seq());
              assertEquals(ErrorCode.FORBIDDEN, outcomes.get(1).failure() == null ? "stored" : outcomes.get(1).failure().code());
              assertEquals(1L, rows.iterator().next().getLong(0), "V7's function is still there for the old writers");
              return null;
            })))
        .eventually(pool::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  /** How many versioned migrations there are after {@code version}. */
  private static int versionsAfter(int version) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(MigrationsTest.class.getResource("/db/migration").toURI()))) {
      return (int) files.map(f -> f.getFileName().toString()).filter(name -> name.matches("V\\d+__.*"))
          .filter(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))) > version).count();
    }
  }

  /**
   * The previous release's statement of the batched write: the columns it reads, by name. The
   * function's result grew since (out_muted_until, V9), and the repeatable migration creates it again.
   */
  private static final String PREVIOUS_WRITE =
      "SELECT out_ord, out_id, out_seq, out_created_at, out_duplicate, out_delivery, out_room_found, out_allowed "
          + "FROM persist_messages($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], "
          + "$7::uuid[], $8::text[], $9::text[], $10::boolean[])";

  @Test
  @DisplayName("a writer of the previous release, its statement prepared before the write function was created again with more columns, writes on")
  void previousWriterAcrossRecreation(Vertx vertx, VertxTestContext ctx) throws Exception {
    PgConnectOptions db = atV7().setCachePreparedStatements(true);
    String recreate = new String(MigrationsTest.class.getResourceAsStream("/db/migration/R__persist_messages.sql").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    Pool admin = PgBuilder.pool().connectingTo(db).using(vertx).build();
    // One connection, so that the second write runs the statement the first one prepared.
    Pool writer = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(1)).connectingTo(db).using(vertx).build();
    PgMessageStore store = new PgMessageStore(admin, admin, null);
    Migrations.apply(vertx, db)
        .compose(applied -> store.createRoom(new CreateRoomRequest(ALICE, "room", "group", "optimistic", List.of())).map(CreatedRoom::room))
        .compose(room -> writer.preparedQuery(PREVIOUS_WRITE).execute(write(room.id(), "before"))
            .compose(before -> admin.query(recreate).execute())
            .compose(recreated -> writer.preparedQuery(PREVIOUS_WRITE).execute(write(room.id(), "after"))))
        .map(rows -> {
          io.vertx.sqlclient.Row row = rows.iterator().next();
          assertEquals(8, row.size(), "the columns it names");
          assertEquals(2L, row.getLong("out_seq"));
          return null;
        })
        .eventually(writer::close)
        .eventually(admin::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The write function's arguments for one message of alice's. */
  private static io.vertx.sqlclient.Tuple write(String roomId, String clientMsgId) {
    return io.vertx.sqlclient.Tuple.tuple().addArrayOfString(new String[] {roomId}).addArrayOfString(new String[] {clientMsgId})
        .addArrayOfUUID(new java.util.UUID[] {java.util.UUID.randomUUID()}).addArrayOfString(new String[] {"alice"})
        .addArrayOfString(new String[] {"Alice"}).addArrayOfString(new String[] {"hi"}).addArrayOfUUID(new java.util.UUID[1])
        .addArrayOfString(new String[1]).addArrayOfString(new String[] {"acme"}).addArrayOfBoolean(new Boolean[] {false});
  }

  /** A fresh database migrated as the previous release left it: V1 to V7, no repeatable migration. The test thread may block. */
  private static PgConnectOptions atV7() throws Exception {
    return at("7");
  }

  /** A fresh database migrated up to {@code version}, without the repeatable migration. The test thread may block. */
  private static PgConnectOptions at(String version) throws Exception {
    PgConnectOptions db = MessageServiceConfig.from(Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase())).postgres();
    String jdbc = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase();
    Path previous = Files.createTempDirectory("switchboard-migrations");
    try (Stream<Path> files = Files.list(Path.of(MigrationsTest.class.getResource("/db/migration").toURI()))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("V")).toList()) {
        Files.copy(file, previous.resolve(file.getFileName()));
      }
    }
    Flyway.configure().dataSource(jdbc, db.getUser(), db.getPassword()).locations("filesystem:" + previous)
        .target(version).load().migrate();
    TempDirs.deleteOnExit(previous);
    return db;
  }

  @Test
  @DisplayName("V8 makes the creator of each existing room its owner and everyone else a member")
  void rolesAfterV7(Vertx vertx, VertxTestContext ctx) throws Exception {
    PgConnectOptions db = atV7();
    Pool pool = PgBuilder.pool().connectingTo(db).using(vertx).build();
    // As the previous release created rooms: the creator admin, the others members.
    String before = "INSERT INTO tenants (id) VALUES ('acme');"
        + "INSERT INTO rooms (id, tenant_id, name, kind, created_by) VALUES ('r1', 'acme', 'one', 'group', 'alice'),"
        + " ('r2', 'acme', 'two', 'direct', 'bob');"
        + "INSERT INTO room_members (room_id, user_id, role) VALUES ('r1', 'alice', 'admin'), ('r1', 'bob', 'member'),"
        + " ('r1', 'carol', 'member'), ('r2', 'bob', 'admin'), ('r2', 'alice', 'member')";
    pool.query(before).execute()
        .compose(v -> Migrations.apply(vertx, db))
        .compose(applied -> pool.query("SELECT room_id || ':' || user_id || '=' || role FROM room_members ORDER BY 1").execute())
        .map(rows -> {
          List<String> roles = new java.util.ArrayList<>();
          rows.forEach(r -> roles.add(r.getString(0)));
          assertEquals(List.of("r1:alice=owner", "r1:bob=member", "r1:carol=member", "r2:alice=member", "r2:bob=owner"), roles);
          return null;
        })
        .eventually(pool::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("V24 moves existing messages into their months' partitions with their reactions and idempotency keys: a retry of an old send is still a duplicate")
  void partitionedAfterV22(Vertx vertx, VertxTestContext ctx) throws Exception {
    PgConnectOptions db = at("22");
    Pool pool = PgBuilder.pool().connectingTo(db).using(vertx).build();
    java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
    java.time.YearMonth before = now.minusMonths(2);
    String m1 = "11111111-1111-4111-8111-111111111111";
    String existing = "INSERT INTO tenants (id) VALUES ('acme');"
        + "INSERT INTO rooms (id, tenant_id, name, kind, created_by, last_seq) VALUES ('r1', 'acme', 'one', 'group', 'alice', 2);"
        + "INSERT INTO room_members (room_id, user_id, role) VALUES ('r1', 'alice', 'owner');"
        + "INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, body, created_at) VALUES "
        + "('r1', 1, '" + m1 + "', 'old', 'alice', 'two months ago', '" + before.atDay(3) + "T12:00:00Z'), "
        + "('r1', 2, gen_random_uuid(), 'new', 'alice', 'today', now());"
        + "INSERT INTO message_reactions (message_id, emoji, user_id) VALUES ('" + m1 + "', 'x', 'alice')";
    String where = "SELECT seq || '@' || tableoid::regclass::text || ':' || (SELECT count(*) FROM message_reactions r WHERE r.message_id = m.id) "
        + "FROM messages m ORDER BY seq";
    pool.query(existing).execute()
        .compose(v -> Migrations.apply(vertx, db))
        .compose(applied -> pool.query(where).execute())
        .compose(rows -> {
          List<String> placed = new java.util.ArrayList<>();
          rows.forEach(r -> placed.add(r.getString(0)));
          assertEquals(List.of(String.format("1@messages_y%04dm%02d:1", before.getYear(), before.getMonthValue()),
              String.format("2@messages_y%04dm%02d:0", now.getYear(), now.getMonthValue())), placed);
          return WriteBatch.write(pool, List.of(
              new Posting(new PersistRequest(ALICE, "r1", "old", "two months ago", null, null, null, "t"), Envelope.Source.GATEWAY),
              new Posting(new PersistRequest(ALICE, "r1", "newer", "now", null, null, null, "t"), Envelope.Source.GATEWAY)));
        })
        .map(outcomes -> {
          assertEquals(true, outcomes.get(0).stored().result().duplicate(), "the retry of a send made before V24");
          assertEquals(1L, outcomes.get(0).stored().result().message().seq());
          assertEquals(3L, outcomes.get(1).stored().result().message().seq());
          return null;
        })
        .eventually(pool::close)
        .onComplete(ctx.succeedingThenComplete());
  }
}
