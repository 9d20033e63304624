package io.switchboard.message.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.Addresses;
import io.switchboard.common.chat.Mentions;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks (docs/architecture.md, "Webhooks"), on a timer of the writer instance of each
 * message-service process. Two steps, each safe with any number of dispatchers at once:
 *
 * <ol>
 *   <li>Expand: outbox rows, locked with {@code FOR UPDATE SKIP LOCKED}, become deliveries (one per
 *   endpoint of the tenant for message.created, with the room's members who have no connection in
 *   the room, or are away longer than {@code NOTIFY_AWAY_AFTER_SECONDS}, per presence-service:
 *   {@link #reachable}), and are deleted, in one transaction: a process killed halfway
 *   leaves the rows to the next pass, never half expanded. A row whose presence query fails stays.</li>
 *   <li>Deliver: due deliveries are claimed with a lease (and an attempt counted) by a conditional
 *   update, then POSTed, signed; 2xx marks them delivered, anything else (status, timeout, refused
 *   address, redirect) schedules a retry after an exponential backoff, or makes a dead letter after
 *   {@code WEBHOOKS_MAX_ATTEMPTS}. A dispatcher killed mid-request leaves the lease to expire and the
 *   delivery is attempted again with the same event id: at least once, deduplicated by the receiver.</li>
 * </ol>
 *
 * Each endpoint has at most {@code WEBHOOKS_CONCURRENCY} requests in flight and starts at most
 * {@code WEBHOOKS_RATE_PER_SECOND} per second, per process; requests are asynchronous with a timeout,
 * so a slow endpoint holds only its own deliveries.
 */
public final class WebhookDispatcher {
  static final String MESSAGE_CREATED = "message.created";
  static final String ROOM_CHANGED = "room.changed";
  /** A message that mentions offline members (V20), to those whose notification policy (V21) lets it. */
  static final String MENTION = "mention";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int OUTBOX_BATCH = 200;
  /** Most outbox batches one pass expands when they keep coming full. */
  private static final int OUTBOX_BATCHES_PER_PASS = 10;
  private static final int CLAIM_BATCH = 2000;
  /** Most recipients in one delivery; a larger room's offline members take several. */
  static final int RECIPIENTS_PER_DELIVERY = 500;
  private static final long PRESENCE_TIMEOUT_MS = 5000;
  private static final long COUNT_EVERY_MS = 10_000;

  private static final String CLAIM_OUTBOX =
      "SELECT o.id, o.tenant_id, o.room_id, o.event, m.id AS message_id, m.seq, m.sender_id, m.sender_name, m.body,"
          + " m.created_at, m.deleted, m.mentions::text AS mentions, a.id AS audit_id, a.actor_id, a.action, a.members::text AS members,"
          + " a.detail::text AS detail, a.seq AS audit_seq, a.created_at AS audit_at,"
          + " r.kind AS room_kind"
          + " FROM webhook_outbox o LEFT JOIN messages m ON m.id = o.message_id LEFT JOIN room_audit a ON a.id = o.audit_id"
          + " LEFT JOIN rooms r ON r.id = o.room_id"
          + " ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED";
  /**
   * The room's members with their notification policy there (V21, docs/protocol.md "Notifications"):
   * the room's level, else their default's, else all; muted while either mute lasts. Two probes of
   * the policies' primary key per member.
   */
  private static final String MEMBERS =
      "SELECT m.user_id, coalesce(rp.level, up.level, 'all') AS level,"
          + " coalesce(greatest(rp.muted_until, up.muted_until) > now(), false) AS muted"
          + " FROM room_members m"
          + " LEFT JOIN notification_policies rp ON rp.tenant_id = $2 AND rp.user_id = m.user_id AND rp.room_id = m.room_id"
          + " LEFT JOIN notification_policies up ON up.tenant_id = $2 AND up.user_id = m.user_id AND up.room_id = ''"
          + " WHERE m.room_id = $1";
  private static final String ENDPOINTS_FOR_MESSAGES =
      "SELECT id, event FROM webhook_endpoints e, unnest(e.events) AS event"
          + " WHERE e.tenant_id = $1 AND event IN ('message.created', 'mention') ORDER BY id, event";
  private static final String ENDPOINTS_FOR =
      "SELECT id FROM webhook_endpoints WHERE tenant_id = $1 AND $2 = ANY (events) ORDER BY id";
  private static final String INSERT_DELIVERY =
      "INSERT INTO webhook_deliveries (id, endpoint_id, event, payload) VALUES ($1, $2, $3, $4)";
  private static final String DELETE_OUTBOX = "DELETE FROM webhook_outbox WHERE id = $1";
  /**
   * Claims due deliveries among the $4 due first (a backlog is not sorted whole on every pass): at
   * most $2 per endpoint, and for the endpoints with requests in flight here ($1) only their room
   * left ($5). The update checks the lease again on the row it locks, so two dispatchers never claim
   * one delivery.
   */
  private static final String CLAIM =
      "WITH busy AS (SELECT b.endpoint_id, b.room FROM unnest($1::uuid[], $5::int[]) AS b(endpoint_id, room)),"
          + " candidates AS (SELECT d.id, d.endpoint_id, d.next_attempt_at FROM webhook_deliveries d"
          + "  WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())"
          + "    AND NOT EXISTS (SELECT 1 FROM busy b WHERE b.endpoint_id = d.endpoint_id AND b.room <= 0)"
          + "  ORDER BY d.next_attempt_at LIMIT $4),"
          + " due AS (SELECT c.id, c.endpoint_id,"
          + "   row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.next_attempt_at, c.id) AS n FROM candidates c)"
          + " UPDATE webhook_deliveries d SET lease_until = now() + $3::bigint * interval '1 millisecond',"
          + "        attempts = d.attempts + 1"
          + "   FROM due LEFT JOIN busy b ON b.endpoint_id = due.endpoint_id, webhook_endpoints e"
          + "  WHERE d.id = due.id AND due.n <= coalesce(b.room, $2) AND e.id = d.endpoint_id"
          + "    AND d.state = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())"
          + " RETURNING d.id, d.endpoint_id, d.event, d.payload, d.attempts, e.url, e.secret,"
          + "   CASE WHEN e.previous_expires_at > now() THEN e.previous_secret END AS previous_secret";
  private static final String DELIVERED =
      "UPDATE webhook_deliveries SET state = 'delivered', lease_until = NULL, last_status = $2, last_error = NULL,"
          + " finished_at = now() WHERE id = $1";
  private static final String FAILED =
      "UPDATE webhook_deliveries SET state = CASE WHEN $5 THEN 'dead' ELSE 'pending' END,"
          + " next_attempt_at = now() + $4::bigint * interval '1 millisecond', lease_until = NULL,"
          + " last_status = $2, last_error = $3, finished_at = CASE WHEN $5 THEN now() END WHERE id = $1";
  private static final String COUNTS =
      "SELECT (SELECT count(*) FROM webhook_outbox) AS outbox,"
          + " (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::bigint FROM webhook_outbox) AS oldest,"
          + " (SELECT count(*) FROM webhook_deliveries WHERE state = 'pending') AS pending,"
          + " (SELECT count(*) FROM webhook_deliveries WHERE state = 'dead') AS dead";
  /** Delivered requests are kept a week (to look into), then deleted a batch per count. */
  private static final String PRUNE =
      "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
          + " WHERE state = 'delivered' AND finished_at < now() - interval '7 days' LIMIT 1000)";

  private final Vertx vertx;
  private final Pool pool;
  private final WebhookSettings settings;
  private final BoundedPost post;
  private final WebhookMetrics metrics;
  /** Web Push, when VAPID keys are configured: null otherwise. */
  private final PushDispatcher push;
  private final Map<UUID, EndpointBudget> endpoints = new HashMap<>();
  private long timer = -1;
  private long lastCount;
  private boolean polling;
  private boolean claiming;
  private boolean claimAgain;
  private boolean stopped;

  public WebhookDispatcher(Vertx vertx, Pool pool, WebhookSettings settings, MeterRegistry registry) {
    this(vertx, pool, settings, PushSettings.OFF, registry);
  }

  public WebhookDispatcher(Vertx vertx, Pool pool, WebhookSettings settings, PushSettings pushSettings, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    AddressGuard guard = new AddressGuard(vertx, settings.allowPrivate());
    this.metrics = new WebhookMetrics(registry);
    // A redirect is an attempt that failed (BoundedPost follows none).
    this.post = new BoundedPost(vertx, guard, settings.timeoutMs(), settings.concurrency());
    this.push = pushSettings.enabled() ? new PushDispatcher(vertx, pool, settings, pushSettings, guard, registry) : null;
  }

  /** Polls every {@code WEBHOOKS_POLL_MS} until {@link #stop}. */
  public void start() {
    timer = vertx.setPeriodic(settings.pollMs(), id -> poll());
  }

  /** No new work; requests in flight finish or time out, their leases bring them back otherwise. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return push == null ? post.close() : Future.all(post.close(), push.close()).mapEmpty();
  }

  /** One pass: expand the outbox, then start the due deliveries; a pass asked for while one runs is skipped. */
  Future<Void> poll() {
    if (polling || stopped) {
      return Future.succeededFuture();
    }
    polling = true;
    // Each step runs whatever the one before did: an outbox that cannot be expanded now (Postgres
    // slow, a bad row) holds up no delivery that is due.
    return step("expanding the outbox", expand())
        .transform(v -> step("claiming deliveries", deliver()))
        .transform(v -> step("claiming push deliveries", push == null ? Future.succeededFuture() : push.deliver()))
        .transform(v -> step("counting", count()))
        .eventually(() -> {
          polling = false;
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  private static Future<Void> step(String what, Future<?> step) {
    return step.<Void>mapEmpty().recover(failure -> {
      LOG.warn("webhooks: {} failed: {}", what, failure.toString());
      return Future.succeededFuture();
    });
  }

  // ---- expand

  /** Full batches are followed by the next at once, up to a bound per pass, so a busy tenant's outbox keeps up. */
  private Future<Integer> expand() {
    return expand(0, 0);
  }

  private Future<Integer> expand(int batches, int total) {
    return expandBatch().compose(n -> n == OUTBOX_BATCH && batches + 1 < OUTBOX_BATCHES_PER_PASS && !stopped
        ? expand(batches + 1, total + n) : Future.succeededFuture(total + n));
  }

  private Future<Integer> expandBatch() {
    return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_OUTBOX).execute(Tuple.of(OUTBOX_BATCH)).compose(rows -> {
      List<Future<?>> each = new ArrayList<>();
      for (Row row : rows) {
        each.add(expandOne(conn, row));
      }
      return Future.all(each).map(v -> rows.size());
    }));
  }

  private Future<Void> expandOne(SqlConnection conn, Row row) {
    return ROOM_CHANGED.equals(row.getString("event")) ? expandRoomChange(conn, row) : expandMessage(conn, row);
  }

  /** A change of a room: one delivery per endpoint that wants it, nobody to ask about presence. */
  private Future<Void> expandRoomChange(SqlConnection conn, Row row) {
    long outboxId = row.getLong("id");
    String tenant = row.getString("tenant_id");
    Future<?> inserted = row.getLong("audit_id") == null ? Future.succeededFuture()
        : conn.preparedQuery(ENDPOINTS_FOR).execute(Tuple.of(tenant, ROOM_CHANGED)).compose(endpoints -> {
          List<Tuple> deliveries = new ArrayList<>();
          for (Row endpoint : endpoints) {
            UUID eventId = UUID.randomUUID();
            JsonObject data = new JsonObject().put("roomId", row.getString("room_id")).put("action", row.getString("action"))
                .put("actorId", row.getString("actor_id")).put("members", new JsonArray(row.getString("members")))
                .put("detail", row.getString("detail") == null ? null : new JsonObject(row.getString("detail")))
                .put("seq", row.getLong("audit_seq")).put("at", row.getOffsetDateTime("audit_at").toInstant().toString());
            deliveries.add(Tuple.of(eventId, endpoint.getUUID(0), ROOM_CHANGED, event(eventId, ROOM_CHANGED, tenant, data)));
          }
          return deliveries.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(INSERT_DELIVERY).executeBatch(deliveries);
        });
    return inserted.compose(v -> conn.preparedQuery(DELETE_OUTBOX).execute(Tuple.of(outboxId))).mapEmpty();
  }

  private Future<Void> expandMessage(SqlConnection conn, Row row) {
    long outboxId = row.getLong("id");
    if (row.getUUID("message_id") == null || Boolean.TRUE.equals(row.getBoolean("deleted"))) {
      // Gone (retention, a deleted room) or deleted by its sender before anyone was told: nothing to say.
      return conn.preparedQuery(DELETE_OUTBOX).execute(Tuple.of(outboxId)).mapEmpty();
    }
    String tenant = row.getString("tenant_id");
    String roomId = row.getString("room_id");
    Future<List<Member>> members = conn.preparedQuery(MEMBERS).execute(Tuple.of(roomId, tenant)).map(rows -> {
      List<Member> all = new ArrayList<>();
      rows.forEach(r -> all.add(new Member(r.getString(0), r.getString(1), r.getBoolean(2))));
      return all;
    });
    Future<List<Row>> hooks = conn.preparedQuery(ENDPOINTS_FOR_MESSAGES).execute(Tuple.of(tenant)).map(rows -> {
      List<Row> all = new ArrayList<>();
      rows.forEach(all::add);
      return all;
    });
    Future<RoomPresence> online = vertx.eventBus().<RoomPresence>request(Addresses.PRESENCE_QUERY,
        new PresenceQuery(tenant, roomId), new DeliveryOptions().setSendTimeout(PRESENCE_TIMEOUT_MS)).map(m -> m.body());
    return Future.all(members, hooks, online).compose(all -> {
      Set<String> present = reachable(online.result(), settings.notifyAwayAfterSeconds(), System.currentTimeMillis());
      Mentions mentions = row.getString("mentions") == null ? null : Mentions.fromStored(new JsonObject(row.getString("mentions")));
      // Offline members but the sender, each told what their policy lets through (none while muted).
      List<String> toldMessage = new ArrayList<>();
      List<String> toldMention = new ArrayList<>();
      // Web Push: those same members, for a mention of them, or for a message of a direct room.
      boolean direct = "direct".equals(row.getString("room_kind"));
      List<PushDispatcher.Recipient> pushed = new ArrayList<>();
      for (Member member : members.result()) {
        if (member.userId().equals(row.getString("sender_id")) || present.contains(member.userId()) || member.muted()
            || "none".equals(member.level())) {
          continue;
        }
        boolean mentioned = mentions != null && mentions.mentions(member.userId());
        if ("all".equals(member.level()) || mentioned) {
          toldMessage.add(member.userId());
        }
        if (mentioned) {
          toldMention.add(member.userId());
          pushed.add(new PushDispatcher.Recipient(member.userId(), MENTION));
        } else if (direct && "all".equals(member.level())) {
          pushed.add(new PushDispatcher.Recipient(member.userId(), PushDispatcher.DIRECT));
        }
      }
      List<Tuple> deliveries = new ArrayList<>();
      for (Row hook : hooks.result()) {
        String event = hook.getString(1);
        List<String> recipients = MENTION.equals(event) ? toldMention : toldMessage;
        for (int from = 0; from < recipients.size(); from += RECIPIENTS_PER_DELIVERY) {
          UUID eventId = UUID.randomUUID();
          List<String> part = recipients.subList(from, Math.min(recipients.size(), from + RECIPIENTS_PER_DELIVERY));
          deliveries.add(Tuple.of(eventId, hook.getUUID(0), event, messageEvent(eventId, event, tenant, row, part)));
        }
      }
      Future<?> inserted = deliveries.isEmpty() ? Future.succeededFuture()
          : conn.preparedQuery(INSERT_DELIVERY).executeBatch(deliveries);
      return inserted.compose(v -> push == null ? Future.succeededFuture() : push.expand(conn, tenant, row, pushed))
          .compose(v -> conn.preparedQuery(DELETE_OUTBOX).execute(Tuple.of(outboxId))).<Void>mapEmpty();
    }, failure -> {
      if (members.failed() || hooks.failed()) {
        return Future.failedFuture(failure);
      }
      // Presence did not answer: the row stays for the next pass (which nobody else takes meanwhile).
      LOG.debug("webhooks: presence of room {} unknown, later: {}", roomId, failure.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * The members who count as connected for notifications: those with a connection in the room, but
   * not those away (every socket of theirs) for longer than {@code awayAfterSeconds}; 0 keeps every
   * away member connected (never told). Everyone else of the room is told as offline.
   */
  public static Set<String> reachable(RoomPresence presence, long awayAfterSeconds, long nowMs) {
    Set<String> present = new HashSet<>(presence.online());
    if (awayAfterSeconds > 0) {
      long awayBefore = nowMs - awayAfterSeconds * 1000;
      presence.away().forEach((user, since) -> {
        if (since < awayBefore) {
          present.remove(user);
        }
      });
    }
    return present;
  }

  /** A member of a message's room and their notification policy there. */
  private record Member(String userId, String level, boolean muted) {}

  /**
   * The request body of message.created and mention: what was said, where, and to whom of the room
   * it was not shown (for mention: those it mentions).
   */
  static String messageEvent(UUID eventId, String type, String tenant, Row row, List<String> recipients) {
    JsonObject message = new JsonObject().put("id", row.getUUID("message_id").toString()).put("seq", row.getLong("seq"))
        .put("senderId", row.getString("sender_id")).put("senderName", row.getString("sender_name"))
        .put("body", row.getString("body")).put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
    if (row.getString("mentions") != null) {
      message.put("mentions", new JsonObject(row.getString("mentions")));
    }
    return event(eventId, type, tenant, new JsonObject().put("roomId", row.getString("room_id"))
        .put("message", message).put("recipients", new JsonArray(List.copyOf(recipients))));
  }

  /** A request body: {id, type, tenant, createdAt, data}, the same for every event. */
  static String event(UUID eventId, String type, String tenant, JsonObject data) {
    return new JsonObject().put("id", eventId.toString()).put("type", type).put("tenant", tenant)
        .put("createdAt", Instant.now().toString()).put("data", data).encode();
  }

  // ---- deliver

  /**
   * Claims and starts what is due. Also asked for whenever a request ends, so that an endpoint is
   * not held to {@code WEBHOOKS_CONCURRENCY} requests per poll; a claim asked for while one runs
   * follows it.
   */
  private Future<Void> deliver() {
    if (claiming) {
      claimAgain = true;
      return Future.succeededFuture();
    }
    claiming = true;
    return claim().eventually(() -> {
      claiming = false;
      if (claimAgain && !stopped) {
        claimAgain = false;
        vertx.runOnContext(v -> deliver().onFailure(f -> LOG.warn("webhooks: claiming deliveries failed: {}", f.toString())));
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> claim() {
    int perEndpoint = Math.min(settings.concurrency(), settings.ratePerSecond());
    List<Map.Entry<UUID, EndpointBudget>> inFlight = endpoints.entrySet().stream().filter(e -> e.getValue().inFlight > 0)
        .toList();
    UUID[] busy = inFlight.stream().map(Map.Entry::getKey).toArray(UUID[]::new);
    Integer[] room = inFlight.stream().map(e -> perEndpoint - e.getValue().inFlight).toArray(Integer[]::new);
    return pool.preparedQuery(CLAIM).execute(Tuple.of(busy, perEndpoint, settings.leaseMs(), CLAIM_BATCH, room)).map(rows -> {
      for (Row row : rows) {
        UUID endpoint = row.getUUID("endpoint_id");
        EndpointBudget budget = endpoints.computeIfAbsent(endpoint, id -> new EndpointBudget());
        budget.inFlight++;
        long wait = budget.reserve(System.currentTimeMillis(), settings.ratePerSecond());
        Claimed claimed = new Claimed(row.getUUID("id"), endpoint, row.getString("event"), row.getString("payload"),
            row.getInteger("attempts"), row.getString("url"), row.getString("secret"), row.getString("previous_secret"));
        if (wait > 0) {
          vertx.setTimer(wait, t -> attempt(claimed, budget));
        } else {
          attempt(claimed, budget);
        }
      }
      return null;
    });
  }

  private record Claimed(UUID id, UUID endpoint, String event, String payload, int attempts, String url, String secret,
      String previousSecret) {}

  private void attempt(Claimed claimed, EndpointBudget budget) {
    long start = System.nanoTime();
    send(claimed).onComplete(ar -> {
      budget.inFlight--;
      if (budget.inFlight == 0 && budget.idle(System.currentTimeMillis())) {
        endpoints.remove(claimed.endpoint(), budget);
      }
      boolean ok = ar.succeeded() && ar.result() >= 200 && ar.result() < 300;
      boolean dead = !ok && claimed.attempts() >= settings.maxAttempts();
      metrics.attempt(System.nanoTime() - start, ok, dead);
      Integer status = ar.succeeded() ? ar.result() : null;
      Future<?> recorded;
      if (ok) {
        recorded = pool.preparedQuery(DELIVERED).execute(Tuple.of(claimed.id(), status));
      } else {
        String error = ar.succeeded() ? "status " + status : String.valueOf(ar.cause().getMessage());
        if (dead) {
          LOG.warn("webhooks: delivery {} to endpoint {} is a dead letter after {} attempts: {}", claimed.id(),
              claimed.endpoint(), claimed.attempts(), error);
        }
        recorded = pool.preparedQuery(FAILED).execute(Tuple.of(claimed.id(), status, truncate(error), 
            settings.backoffAfter(claimed.attempts()), dead));
      }
      // Not recorded (Postgres away): the lease runs out and the delivery is attempted again.
      recorded.onComplete(done -> {
        if (done.failed()) {
          LOG.warn("webhooks: outcome of delivery {} not recorded: {}", claimed.id(), done.cause().toString());
        } else if (!stopped) {
          deliver().onFailure(f -> LOG.warn("webhooks: claiming deliveries failed: {}", f.toString()));
        }
      });
    });
  }

  /** The response's status, or a failure: refused address, connection, timeout. */
  private Future<Integer> send(Claimed claimed) {
    List<String> secrets = claimed.previousSecret() == null ? List.of(claimed.secret())
        : List.of(claimed.secret(), claimed.previousSecret());
    return post.send(claimed.url(), () -> MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("User-Agent", "Switchboard-Webhooks/1")
        .add("Switchboard-Event", claimed.event())
        .add("Switchboard-Event-Id", claimed.id().toString())
        .add("Switchboard-Attempt", Integer.toString(claimed.attempts()))
        .add(Signatures.HEADER, Signatures.header(Instant.now().getEpochSecond(), claimed.payload(), secrets)),
        Buffer.buffer(claimed.payload())).map(BoundedPost.Answer::status);
  }

  private static String truncate(String error) {
    return error.length() > 500 ? error.substring(0, 500) : error;
  }

  // ---- count

  private Future<Void> count() {
    long now = System.currentTimeMillis();
    if (now - lastCount < COUNT_EVERY_MS) {
      return Future.succeededFuture();
    }
    lastCount = now;
    return pool.query(COUNTS).execute().compose(rows -> {
      Row row = rows.iterator().next();
      metrics.outbox.set(row.getLong("outbox"));
      metrics.oldestOutboxSeconds.set(row.getLong("oldest"));
      metrics.pending.set(row.getLong("pending"));
      metrics.deadLetters.set(row.getLong("dead"));
      return pool.query(PRUNE).execute().compose(v -> push == null ? Future.succeededFuture() : push.prune());
    }).mapEmpty();
  }

  /** Requests in flight to one endpoint here, and the starts of the current second (the rate limit). */
  private static final class EndpointBudget {
    int inFlight;
    long second;
    int started;

    /** Reserves a start: ms to wait for it, 0 when now (the next second with room left otherwise). */
    long reserve(long nowMs, int rate) {
      long current = nowMs / 1000;
      if (second < current) {
        second = current;
        started = 0;
      }
      if (started >= rate) {
        second++;
        started = 0;
      }
      started++;
      return Math.max(0, second * 1000 - nowMs);
    }

    boolean idle(long nowMs) {
      return second < nowMs / 1000;
    }
  }
}
