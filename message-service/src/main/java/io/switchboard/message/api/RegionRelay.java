package io.switchboard.message.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.message.store.RegionFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the messages other regions store to this region's gateways (docs/architecture.md,
 * "Regions"): it listens on {@link RegionFeed#CHANNEL} on a connection of its own to the shared
 * primary, reads the rooms' seqs each notice of another region names, and announces each message as
 * a persist-first room's {@code room-message-created} with its seq, so the gateways order it as any
 * durable message.
 *
 * <p>Notices are at most once: those sent while the relay's connection is down are lost. So the
 * relay remembers, for the last {@link #ROOMS_REMEMBERED} rooms any notice named, the highest seq
 * it knows of, and each time it listens again it reads and relays what those rooms stored since
 * (messages of its own region among them are delivered a second time; clients keep messages by id).
 * Other rooms' clients fill the gap in the room's seqs from history or catch up with
 * {@code join-room {sinceSeq}}, as after any gap (docs/protocol.md, section 5). A connection whose
 * link dies silently (no reset) is noticed by a heartbeat and replaced.
 */
public final class RegionRelay {
  private static final Logger LOG = LoggerFactory.getLogger(RegionRelay.class);
  static final long HEARTBEAT_MS = 5_000;
  static final long RECONNECT_MS = 1_000;
  static final int ROOMS_REMEMBERED = 10_000;
  /** Rooms per statement of a catch-up. */
  private static final int CATCH_UP_BATCH = 500;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final SqlClient reads;
  private final String region;
  private final RoomAnnouncer announcer;
  private final Counter relayed;
  private final Counter failures;
  private PgSubscriber subscriber;
  private long heartbeat = -1;
  /** The connection a heartbeat gave up on, while it closes: not checked again. */
  private io.vertx.pgclient.PgConnection abandoned;
  /** Per room, the highest seq a notice named or the relay delivered; the least recently named go first. */
  private final java.util.LinkedHashMap<String, Long> known = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
      return size() > ROOMS_REMEMBERED;
    }
  };
  private boolean listenedBefore;

  public RegionRelay(Vertx vertx, PgConnectOptions options, SqlClient reads, String region, MeterRegistry meters) {
    this.vertx = vertx;
    this.options = options;
    this.reads = reads;
    this.region = region;
    this.announcer = new RoomAnnouncer(vertx.eventBus());
    this.relayed = Counter.builder("switchboard.region.relayed")
        .description("Messages of other regions delivered to this region's gateways").register(meters);
    this.failures = Counter.builder("switchboard.region.relay.failures")
        .description("Reads of other regions' messages (for a notice or a catch-up) that failed; their rooms' clients fill the gap from history")
        .register(meters);
  }

  /** Subscribes; completes once listening (it reconnects by itself afterwards). */
  public Future<Void> start() {
    // A connection of its own, never a pool's: LISTEN belongs to one session.
    subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options).setCachePreparedStatements(false))
        .reconnectPolicy(retries -> RECONNECT_MS);
    subscriber.channel(RegionFeed.CHANNEL)
        .subscribeHandler(v -> listening())
        .handler(this::notice);
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> checkConnection());
    return subscriber.connect();
  }

  /**
   * A listening connection sends nothing, so a link that drops its packets never breaks it: a
   * statement that gets no answer in time closes it, and the subscriber connects again.
   */
  private void checkConnection() {
    var connection = subscriber.actualConnection();
    if (connection == null || connection == abandoned || subscriber.closed()) {
      return;
    }
    connection.query("SELECT 1").execute().timeout(HEARTBEAT_MS, TimeUnit.MILLISECONDS).onFailure(failure -> {
      if (connection != abandoned) {
        abandoned = connection;
        LOG.warn("regions: listening connection lost ({}); connecting again", failure.toString());
        connection.close();
      }
    });
  }

  /** Subscribed, at start or again after a lost connection: then catch up on the rooms known. */
  private void listening() {
    LOG.info("regions: region {} listening for the other regions' messages{}", region,
        listenedBefore ? "; catching up on " + known.size() + " rooms" : "");
    if (listenedBefore) {
      List<String> rooms = new ArrayList<>(known.keySet());
      for (int from = 0; from < rooms.size(); from += CATCH_UP_BATCH) {
        List<String> batch = rooms.subList(from, Math.min(rooms.size(), from + CATCH_UP_BATCH));
        List<Long> after = batch.stream().map(known::get).toList();
        RegionFeed.readAfter(reads, batch, after).onSuccess(this::relay).onFailure(failure -> {
          failures.increment();
          LOG.warn("regions: catch-up of {} rooms failed ({})", batch.size(), failure.toString());
        });
      }
    }
    listenedBefore = true;
  }

  private void relay(List<RegionFeed.Relayed> messages) {
    for (RegionFeed.Relayed m : messages) {
      announcer.relayed(m.message(), m.tenant());
      relayed.increment();
      known.merge(m.message().roomId(), m.message().seq(), Math::max);
    }
  }

  private void notice(String payload) {
    RegionFeed.Notice notice = RegionFeed.parse(payload);
    if (notice == null) {
      return;
    }
    if (region.equals(notice.region())) {
      // Ours: nothing to deliver, but a catch-up need not read it again.
      notice.ranges().forEach(range -> known.merge(range.roomId(), range.to(), Math::max));
      return;
    }
    for (RegionFeed.Range range : notice.ranges()) {
      // Known from before this range: should its read fail, the next catch-up reads it again.
      known.merge(range.roomId(), range.from() - 1, Math::max);
      RegionFeed.read(reads, range).onSuccess(this::relay).onFailure(failure -> {
        failures.increment();
        LOG.warn("regions: messages {} {}-{} of region {} not relayed ({})", range.roomId(), range.from(), range.to(),
            notice.region(), failure.toString());
      });
    }
  }

  public Future<Void> stop() {
    vertx.cancelTimer(heartbeat);
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
