package io.switchboard.message.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the monthly partitions of messages (migration V24, docs/architecture.md "Partitioned
 * messages"): makes the current month's and {@code ahead} more, and drops a month once every message
 * in it is past every room's retention, that is when the month ended longer ago than the longest
 * retention of any room (its own days, else its tenant's, else RETENTION_DAYS) and no room keeps its
 * messages forever. Before a month goes, its rooms' expired_seq rises to the month's last seq of each
 * (as RetentionJob records what it deletes), and its messages' reactions and idempotency keys are
 * deleted. Rooms with a shorter retention than a month's age lose their messages to RetentionJob's row
 * deletes meanwhile; messages_default (outside every month made) only ever to them.
 *
 * <p>One pass is one transaction under a transaction-level advisory lock (holds through PgBouncer in
 * transaction mode; another instance's pass finds it taken and does nothing). Making or dropping a
 * partition takes an exclusive lock of messages for a moment: the pass waits for it at most
 * {@link #LOCK_TIMEOUT}, rather than queue every write behind a long read, and tries again next time.
 */
public final class PartitionsJob {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionsJob.class);
  /** The advisory lock's key: any constant no other lock of the database uses. */
  private static final long LOCK = 0x5b_7061_7274_6974L;
  private static final String LOCK_TIMEOUT = "2s";
  private static final Pattern MONTH = Pattern.compile("messages_y(\\d{4})m(\\d{2})");

  /** The monthly partitions of messages, by name. */
  private static final String PARTITIONS = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
      + "WHERE i.inhparent = 'messages'::regclass";

  /**
   * Whether some room keeps its messages forever, and the longest retention of the others, in days:
   * each room's own, else its tenant's ($2, tenant to days), else the default ($1).
   */
  private static final String LONGEST_RETENTION = "SELECT coalesce(bool_or(days = 0), false) AS forever, max(days) AS longest "
      + "FROM (SELECT CASE WHEN r.retention_days > 0 THEN r.retention_days "
      + "ELSE COALESCE(($2::jsonb ->> r.tenant_id)::int, $1::int) END AS days FROM rooms r) x";

  private final Pool pool;
  private final RetentionSettings retention;
  private final int ahead;
  private final Clock clock;
  private final Counter created;
  private final Counter dropped;
  private final Timer runs;
  private boolean running;

  public PartitionsJob(Pool pool, RetentionSettings retention, int ahead, Clock clock, MeterRegistry registry) {
    if (ahead < 1) {
      throw new IllegalArgumentException("message-service: MESSAGE_PARTITIONS_AHEAD must be at least 1: " + ahead);
    }
    this.pool = pool;
    this.retention = retention;
    this.ahead = ahead;
    this.clock = clock;
    this.created = Counter.builder("switchboard.partitions.created").description("Monthly partitions of messages made ahead")
        .register(registry);
    this.dropped = Counter.builder("switchboard.partitions.dropped")
        .description("Monthly partitions of messages dropped past every room's retention").register(registry);
    this.runs = Timer.builder("switchboard.partitions.run").description("Duration of one pass of the partitions job")
        .register(registry);
  }

  /** What one pass did: the partitions it made and dropped, by name (both empty when another instance had the lock). */
  public record Pass(List<String> created, List<String> dropped) {}

  /** One pass. A pass asked for while one runs here is skipped (an empty pass). */
  public Future<Pass> run() {
    if (running) {
      return Future.succeededFuture(new Pass(List.of(), List.of()));
    }
    running = true;
    long start = System.nanoTime();
    return pool.withTransaction(this::pass).onComplete(ar -> {
      running = false;
      runs.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (ar.succeeded()) {
        created.increment(ar.result().created().size());
        dropped.increment(ar.result().dropped().size());
        if (!ar.result().created().isEmpty() || !ar.result().dropped().isEmpty()) {
          LOG.info("partitions: made {}, dropped {}", ar.result().created(), ar.result().dropped());
        }
      } else {
        LOG.warn("partitions: pass failed: {}", ar.cause().toString());
      }
    });
  }

  private Future<Pass> pass(SqlConnection conn) {
    return conn.preparedQuery(Sql.TRY_XACT_LOCK).execute(Tuple.of(LOCK)).compose(locked -> {
      if (!locked.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(new Pass(List.of(), List.of()));
      }
      return conn.query("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'").execute()
          .compose(v -> conn.query(PARTITIONS).execute())
          .compose(rows -> {
            Set<YearMonth> months = new TreeSet<>();
            for (Row row : rows) {
              Matcher m = MONTH.matcher(row.getString(0));
              if (m.matches()) {
                months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
              }
            }
            return create(conn, months).compose(made -> drop(conn, months).map(gone -> new Pass(made, gone)));
          });
    });
  }

  /** This month and {@code ahead} more, those missing. */
  private Future<List<String>> create(SqlConnection conn, Set<YearMonth> existing) {
    YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    List<String> made = new ArrayList<>();
    Future<Void> done = Future.succeededFuture();
    for (int i = 0; i <= ahead; i++) {
      YearMonth month = now.plusMonths(i);
      if (!existing.contains(month)) {
        String name = name(month);
        done = done.compose(v -> conn.query("CREATE TABLE " + name + " PARTITION OF messages FOR VALUES FROM ('"
            + start(month) + "') TO ('" + start(month.plusMonths(1)) + "')").execute().map(r -> {
              made.add(name);
              return null;
            }));
      }
    }
    return done.map(v -> made);
  }

  /** The months that ended longer ago than every room's retention, oldest first. */
  private Future<List<String>> drop(SqlConnection conn, Set<YearMonth> existing) {
    return conn.preparedQuery(LONGEST_RETENTION).execute(Tuple.of(retention.defaultDays(), retention.tenantsJson()))
        .compose(rows -> {
          Row row = rows.iterator().next();
          Integer longest = row.getInteger("longest");
          if (row.getBoolean("forever") || longest == null) {
            return Future.succeededFuture(List.of());
          }
          OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minusDays(longest);
          List<String> gone = new ArrayList<>();
          Future<Void> done = Future.succeededFuture();
          for (YearMonth month : existing) {
            if (!start(month.plusMonths(1)).isAfter(cutoff)) {
              String name = name(month);
              done = done.compose(v -> dropOne(conn, name)).map(v -> {
                gone.add(name);
                return null;
              });
            }
          }
          return done.map(v -> gone);
        });
  }

  /** Records what goes in the rooms, deletes the month's reactions and keys, then the month. */
  private static Future<Void> dropOne(SqlConnection conn, String name) {
    return conn.query("UPDATE rooms r SET expired_seq = x.seq FROM (SELECT room_id, max(seq) AS seq FROM " + name
            + " GROUP BY room_id) x WHERE r.id = x.room_id AND r.expired_seq < x.seq").execute()
        .compose(v -> conn.query("DELETE FROM message_reactions WHERE message_id IN (SELECT id FROM " + name + ")").execute())
        .compose(v -> conn.query("DELETE FROM message_client_ids k USING " + name
            + " m WHERE k.room_id = m.room_id AND k.client_msg_id = m.client_msg_id").execute())
        .compose(v -> conn.query("DROP TABLE " + name).execute())
        .mapEmpty();
  }

  static String name(YearMonth month) {
    return String.format("messages_y%04dm%02d", month.getYear(), month.getMonthValue());
  }

  private static OffsetDateTime start(YearMonth month) {
    return LocalDate.of(month.getYear(), month.getMonth(), 1).atStartOfDay().atOffset(ZoneOffset.UTC);
  }
}
