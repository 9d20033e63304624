package io.switchboard.message.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.message.store.RegionFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlClient;
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
 * <p>Notices are at most once: those sent while the relay's connection is down are lost, and the
 * clients of this region fill the gap in the room's seqs from history or catch up with
 * {@code join-room {sinceSeq}}, as after any gap (docs/protocol.md, section 5). A connection whose
 * link dies silently (no reset) is noticed by a heartbeat and replaced.
 */
public final class RegionRelay {
  private static final Logger LOG = LoggerFactory.getLogger(RegionRelay.class);
  static final long HEARTBEAT_MS = 5_000;
  static final long RECONNECT_MS = 1_000;

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

  public RegionRelay(Vertx vertx, PgConnectOptions options, SqlClient reads, String region, MeterRegistry meters) {
    this.vertx = vertx;
    this.options = options;
    this.reads = reads;
    this.region = region;
    this.announcer = new RoomAnnouncer(vertx.eventBus());
    this.relayed = Counter.builder("switchboard.region.relayed")
        .description("Messages of other regions delivered to this region's gateways").register(meters);
    this.failures = Counter.builder("switchboard.region.relay.failures")
        .description("Notices of other regions whose messages could not be read (their rooms' clients fill the gap from history)")
        .register(meters);
  }

  /** Subscribes; completes once listening (it reconnects by itself afterwards). */
  public Future<Void> start() {
    // A connection of its own, never a pool's: LISTEN belongs to one session.
    subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options).setCachePreparedStatements(false))
        .reconnectPolicy(retries -> RECONNECT_MS);
    subscriber.channel(RegionFeed.CHANNEL)
        .subscribeHandler(v -> LOG.info("regions: region {} listening for the other regions' messages", region))
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

  private void notice(String payload) {
    RegionFeed.Notice notice = RegionFeed.parse(payload);
    if (notice == null || region.equals(notice.region())) {
      return;
    }
    for (RegionFeed.Range range : notice.ranges()) {
      RegionFeed.read(reads, range).onSuccess(messages -> messages.forEach(m -> {
        announcer.relayed(m.message(), m.tenant());
        relayed.increment();
      })).onFailure(failure -> {
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
