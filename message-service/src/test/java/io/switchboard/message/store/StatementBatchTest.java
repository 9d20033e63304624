package io.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.ServiceException;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.TestServers;
import io.switchboard.message.MessageServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Statements in batches on real Postgres: a burst leaves as one transaction, each request gets its
 * own rows, a failing request fails alone, and a batch's order is the one asked for.
 */
@ExtendWith(VertxExtension.class)
class StatementBatchTest {
  private static Pool pool;
  private static PgMessageStore store;

  @BeforeAll
  static void schema(Vertx vertx, VertxTestContext ctx) {
    MessageServiceConfig config = MessageServiceConfig.from(Config.defaults().with(ConfigKey.PG_URL, TestServers.freshDatabase()));
    pool = PgBuilder.pool().connectingTo(config.postgres()).using(vertx).build();
    store = new PgMessageStore(pool, pool, null, 3);
    Migrations.apply(vertx, config.postgres())
        .compose(v -> pool.query("CREATE SEQUENCE IF NOT EXISTS batch_order").execute())
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Requests made on one context in one go: {@code n} of them, each {@code SELECT}ing what {@code sql} gives. */
  private static Future<List<RowSet<Row>>> burst(Vertx vertx, StatementBatch batch, List<Tuple> params) {
    return Future.<List<Future<RowSet<Row>>>>future(p -> vertx.runOnContext(v ->
            p.complete(params.stream().map(batch::execute).toList())))
        .compose(futures -> Future.all(futures).map(all -> futures.stream().map(Future::result).toList()));
  }

  @Test
  @DisplayName("a burst is one transaction, and each request gets its own row")
  void oneTransaction(Vertx vertx, VertxTestContext ctx) {
    StatementBatch batch = new StatementBatch(pool, "SELECT $1::int * 2 AS twice, txid_current() AS tx", 256, null);
    List<Tuple> params = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      params.add(Tuple.of(i));
    }
    burst(vertx, batch, params).onComplete(ctx.succeeding(results -> ctx.verify(() -> {
      Set<Long> transactions = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        Row row = results.get(i).iterator().next();
        assertEquals(2 * i, row.getInteger("twice"));
        transactions.add(row.getLong("tx"));
      }
      // The first request may leave alone; the rest wait for it and leave together.
      assertTrue(transactions.size() <= 2, "transactions: " + transactions);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a request that fails fails alone: the others of its batch get their rows")
  void failureIsPerRequest(Vertx vertx, VertxTestContext ctx) {
    StatementBatch batch = new StatementBatch(pool, "SELECT 10 / $1::int AS q", 256, null);
    vertx.runOnContext(v -> {
      List<Future<RowSet<Row>>> results = List.of(batch.execute(Tuple.of(1)), batch.execute(Tuple.of(2)),
          batch.execute(Tuple.of(0)), batch.execute(Tuple.of(5)));
      Future.join(results).onComplete(done -> ctx.verify(() -> {
        assertEquals(10, results.get(0).result().iterator().next().getInteger("q"));
        assertEquals(5, results.get(1).result().iterator().next().getInteger("q"));
        assertTrue(results.get(2).failed(), "division by zero");
        assertEquals(2, results.get(3).result().iterator().next().getInteger("q"));
        ctx.completeNow();
      }));
    });
  }

  @Test
  @DisplayName("a batch runs in the order asked for, and the rows still reach their requests")
  void ordered(Vertx vertx, VertxTestContext ctx) {
    StatementBatch batch = new StatementBatch(pool, "SELECT $1::text AS key, nextval('batch_order') AS n", 256,
        Comparator.comparing((Tuple t) -> t.getString(0)));
    List<String> keys = List.of("delta", "alpha", "echo", "charlie", "bravo");
    burst(vertx, batch, List.of(Tuple.of("first"))).compose(first -> burst(vertx, batch,
            keys.stream().map(Tuple::of).toList()))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          List<String> byRun = new ArrayList<>(keys);
          for (int i = 0; i < keys.size(); i++) {
            assertEquals(keys.get(i), results.get(i).iterator().next().getString("key"));
          }
          byRun.sort(Comparator.comparing(k -> results.get(keys.indexOf(k)).iterator().next().getLong("n")));
          assertEquals(List.of("alpha", "bravo", "charlie", "delta", "echo"), byRun);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("joins of a burst each get their own answer: members added up to the limit, then MEMBER_LIMIT")
  void joinsInABurst(Vertx vertx, VertxTestContext ctx) {
    Sender owner = new Sender("acme", "owner", "Owner");
    store.createRoom(new CreateRoomRequest(owner, "lobby", "public", "optimistic", List.of()))
        .compose(created -> Future.<List<Future<JoinResult>>>future(p -> vertx.runOnContext(v -> {
          List<Future<JoinResult>> joins = new ArrayList<>();
          for (String user : List.of("u1", "u2", "u3", "u4")) {
            joins.add(store.join(new JoinRequest(new Sender("acme", user, user), created.room().id(), null, 10)));
          }
          p.complete(joins);
        })))
        .compose(joins -> Future.join(joins).transform(v -> Future.succeededFuture(joins)))
        .onComplete(ctx.succeeding(joins -> ctx.verify(() -> {
          // The owner and two joins fill the room of 3; the others are told why not.
          long joined = joins.stream().filter(Future::succeeded).count();
          assertEquals(2, joined);
          joins.stream().filter(Future::failed).forEach(f ->
              assertEquals(ErrorCode.MEMBER_LIMIT, ServiceException.codeOf(f.cause())));
          ctx.completeNow();
        })));
  }
}
