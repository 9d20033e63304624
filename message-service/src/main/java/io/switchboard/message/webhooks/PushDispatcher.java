package io.switchboard.message.webhooks;

import com.interaso.webpush.WebPush;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web Push (docs/protocol.md "Web Push", docs/operations.md "Web Push"), part of the webhook
 * dispatcher's pass: the outbox's messages become push deliveries (in the transaction that expands
 * them for the webhooks), then due deliveries are claimed with a lease and POSTed to the
 * subscriptions' push services.
 *
 * <p>Encryption (RFC 8291, aes128gcm) and the VAPID token (RFC 8292, an ES256 JWT) are
 * com.interaso:webpush's, which only computes (no HTTP client of its own); an ECDH key agreement and
 * an ECDSA signature per request, so they run on a worker thread, a claimed batch at a time, and the
 * requests go out on the event loop through Vert.x's client, past the same address guard as webhooks.
 * Outcome: 2xx done (the delivery is deleted); 404 or 410, the browser unsubscribed (the
 * subscription is deleted, its deliveries with it); 429, 5xx, a timeout or a refused connection are
 * retried with the webhooks' backoff (or the push service's Retry-After, when longer) up to
 * {@code WEBHOOKS_MAX_ATTEMPTS}; any other status is a dead letter at once (a request the push
 * service will never take: retrying cannot help).
 */
final class PushDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(PushDispatcher.class);
  /** How long a push service keeps a message for a browser that is away: a day. */
  static final int TTL_SECONDS = 86_400;
  /** Most requests in flight per process, over every push service. */
  private static final int MAX_IN_FLIGHT = 64;
  /** The type of a push for a message of a direct room (a mention's is {@code mention}). */
  static final String DIRECT = "direct";
  /** The start of a message's body that a push shows. */
  static final int PREVIEW_CHARS = 120;

  /** The recipients' subscriptions, but those of a recipient who blocks the sender (their messages are hidden for them). */
  private static final String SUBSCRIPTIONS =
      "SELECT s.id, s.user_id FROM push_subscriptions s WHERE s.tenant_id = $1 AND s.user_id = ANY ($2)"
          + " AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.tenant_id = $1 AND b.blocker_id = s.user_id AND b.blocked_id = $3)";
  private static final String INSERT =
      "INSERT INTO push_deliveries (id, subscription_id, payload) VALUES ($1, $2, $3)";
  private static final String CLAIM =
      "UPDATE push_deliveries d SET lease_until = now() + $2::bigint * interval '1 millisecond', attempts = d.attempts + 1"
          + " FROM push_subscriptions s"
          + " WHERE d.id IN (SELECT id FROM push_deliveries WHERE state = 'pending' AND next_attempt_at <= now()"
          + "   AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
          + "   AND s.id = d.subscription_id"
          + " RETURNING d.id, d.payload, d.attempts, s.id AS subscription_id, s.endpoint, s.p256dh, s.auth";
  private static final String DONE = "DELETE FROM push_deliveries WHERE id = $1";
  private static final String GONE = "DELETE FROM push_subscriptions WHERE id = $1";
  private static final String FAILED =
      "UPDATE push_deliveries SET state = CASE WHEN $5 THEN 'dead' ELSE 'pending' END,"
          + " next_attempt_at = now() + $4::bigint * interval '1 millisecond', lease_until = NULL,"
          + " last_status = $2, last_error = $3, finished_at = CASE WHEN $5 THEN now() END WHERE id = $1";
  /** Dead ones are kept a week (to look into), then deleted a batch per count. */
  private static final String PRUNE =
      "DELETE FROM push_deliveries WHERE id IN (SELECT id FROM push_deliveries"
          + " WHERE state = 'dead' AND finished_at < now() - interval '7 days' LIMIT 1000)";

  private final Vertx vertx;
  private final Pool pool;
  private final WebhookSettings settings;
  private final WebPush webPush;
  private final BoundedPost post;
  private final Counter delivered;
  private final Counter failed;
  private final Counter dead;
  private final Counter gone;
  private int inFlight;
  private boolean claiming;
  private boolean stopped;

  PushDispatcher(Vertx vertx, Pool pool, WebhookSettings settings, PushSettings push, AddressGuard guard, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.webPush = push.webPush();
    // Many requests to one push service share its connections.
    this.post = new BoundedPost(vertx, guard, settings.timeoutMs(), 16);
    delivered = results(registry, "delivered");
    failed = results(registry, "failed");
    dead = results(registry, "dead");
    gone = results(registry, "gone");
  }

  private static Counter results(MeterRegistry registry, String result) {
    return Counter.builder("switchboard.push.deliveries").tag("result", result)
        .description("Web Push attempts by result: delivered, failed (retried later), dead (no attempt left or refused),"
            + " gone (the subscription ended: removed)")
        .register(registry);
  }

  /** No new claims; requests in flight finish or time out, their leases bring them back otherwise. */
  Future<Void> close() {
    stopped = true;
    return post.close();
  }

  // ---- expand

  /** A member to push a message to, and why: {@code mention} or {@code direct}. */
  record Recipient(String userId, String type) {}

  /** Deliveries of one stored message to each subscription of the recipients, on the expanding transaction. */
  Future<Void> expand(SqlConnection conn, String tenant, Row message, List<Recipient> recipients) {
    if (recipients.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, String> typeOf = new java.util.HashMap<>();
    recipients.forEach(r -> typeOf.put(r.userId(), r.type()));
    return conn.preparedQuery(SUBSCRIPTIONS).execute(Tuple.of(tenant, typeOf.keySet().toArray(String[]::new), message.getString("sender_id")))
        .compose(rows -> {
          List<Tuple> deliveries = new ArrayList<>();
          for (Row sub : rows) {
            deliveries.add(Tuple.of(UUID.randomUUID(), sub.getUUID("id"), payload(typeOf.get(sub.getString("user_id")), message)));
          }
          return deliveries.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(INSERT).executeBatch(deliveries);
        }).mapEmpty();
  }

  /** The push message: small (push services take about 4 KB), what a notification shows and where a click leads. */
  static String payload(String type, Row message) {
    String body = message.getString("body") == null ? "" : message.getString("body");
    if (body.length() > PREVIEW_CHARS) {
      int end = Character.isHighSurrogate(body.charAt(PREVIEW_CHARS - 1)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
      body = body.substring(0, end) + "…";
    }
    String sender = message.getString("sender_name") == null || message.getString("sender_name").isBlank()
        ? message.getString("sender_id") : message.getString("sender_name");
    return new JsonObject().put("type", type).put("roomId", message.getString("room_id"))
        .put("messageId", message.getUUID("message_id").toString()).put("seq", message.getLong("seq"))
        .put("senderId", message.getString("sender_id")).put("title", sender).put("body", body).encode();
  }

  // ---- deliver

  /** Claims what is due, up to the room left in flight, and starts it; asked for by each pass and each request's end. */
  Future<Void> deliver() {
    int room = MAX_IN_FLIGHT - inFlight;
    if (claiming || stopped || room <= 0) {
      return Future.succeededFuture();
    }
    claiming = true;
    return pool.preparedQuery(CLAIM).execute(Tuple.of(room, settings.leaseMs())).compose(rows -> {
      List<Claimed> claimed = new ArrayList<>();
      for (Row row : rows) {
        claimed.add(new Claimed(row.getUUID("id"), row.getUUID("subscription_id"), row.getString("payload"),
            row.getInteger("attempts"), row.getString("endpoint"), row.getString("p256dh"), row.getString("auth")));
      }
      inFlight += claimed.size();
      if (claimed.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      // Encrypting and signing: CPU, off the event loop.
      return vertx.executeBlocking(() -> claimed.stream().map(this::encrypt).toList(), false).map(requests -> {
        requests.forEach(this::attempt);
        return (Void) null;
      }).recover(failure -> {
        inFlight -= claimed.size();
        return Future.failedFuture(failure);
      });
    }).eventually(() -> {
      claiming = false;
      return Future.succeededFuture();
    });
  }

  private record Claimed(UUID id, UUID subscription, String payload, int attempts, String endpoint, String p256dh, String auth) {}

  /** A claimed delivery ready to send: the encrypted body and its headers, or why it cannot be made. */
  private record Request(Claimed claimed, byte[] body, Map<String, String> headers, String problem) {}

  private Request encrypt(Claimed claimed) {
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      byte[] body = webPush.getBody(claimed.payload().getBytes(StandardCharsets.UTF_8),
          b64.decode(claimed.p256dh().replace("=", "")), b64.decode(claimed.auth().replace("=", "")));
      Map<String, String> headers = webPush.getHeaders(claimed.endpoint(), TTL_SECONDS, null, WebPush.Urgency.High);
      return new Request(claimed, body, headers, null);
    } catch (RuntimeException e) {
      return new Request(claimed, null, null, "cannot encrypt for this subscription: " + e);
    }
  }

  private void attempt(Request request) {
    Claimed claimed = request.claimed();
    Future<Response> sent = request.problem() != null ? Future.succeededFuture(new Response(-1, 0, request.problem()))
        : send(request);
    sent.onComplete(ar -> {
      inFlight--;
      Future<?> recorded;
      if (ar.succeeded() && ar.result().status() >= 200 && ar.result().status() < 300) {
        delivered.increment();
        recorded = pool.preparedQuery(DONE).execute(Tuple.of(claimed.id()));
      } else if (ar.succeeded() && (ar.result().status() == 404 || ar.result().status() == 410)) {
        gone.increment();
        LOG.debug("push: subscription {} ended (status {}): removed", claimed.subscription(), ar.result().status());
        recorded = pool.preparedQuery(GONE).execute(Tuple.of(claimed.subscription()));
      } else {
        Integer status = ar.succeeded() && ar.result().status() > 0 ? ar.result().status() : null;
        boolean retriable = status == null || status == 429 || status >= 500;
        boolean isDead = !retriable || claimed.attempts() >= settings.maxAttempts();
        String error = ar.failed() ? String.valueOf(ar.cause().getMessage())
            : ar.result().problem() != null ? ar.result().problem() : "status " + status;
        long wait = Math.max(settings.backoffAfter(claimed.attempts()),
            ar.succeeded() ? Math.min(WebhookSettings.MAX_BACKOFF_MS, ar.result().retryAfterMs()) : 0);
        (isDead ? dead : failed).increment();
        if (isDead) {
          LOG.warn("push: delivery {} to subscription {} is a dead letter after {} attempts: {}", claimed.id(),
              claimed.subscription(), claimed.attempts(), error);
        }
        recorded = pool.preparedQuery(FAILED).execute(Tuple.of(claimed.id(), status,
            error.length() > 500 ? error.substring(0, 500) : error, wait, isDead));
      }
      // Not recorded (Postgres away): the lease runs out and the delivery is attempted again.
      recorded.onComplete(done -> {
        if (done.failed()) {
          LOG.warn("push: outcome of delivery {} not recorded: {}", claimed.id(), done.cause().toString());
        } else {
          deliver().onFailure(f -> LOG.warn("push: claiming deliveries failed: {}", f.toString()));
        }
      });
    });
  }

  /** A push service's answer: its status and Retry-After (ms, 0 without); status -1 with a problem when no request was made. */
  private record Response(int status, long retryAfterMs, String problem) {}

  private Future<Response> send(Request request) {
    return post.send(request.claimed().endpoint(), () -> MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
        Buffer.buffer(request.body())).map(answer ->
        new Response(answer.status(), retryAfterMs(answer.headers().get("Retry-After")), null));
  }

  /** Retry-After in seconds (its date form is not used by push services); 0 without or unreadable. */
  static long retryAfterMs(String header) {
    try {
      return header == null ? 0 : Math.max(0, Long.parseLong(header.trim())) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  Future<Void> prune() {
    return pool.query(PRUNE).execute().mapEmpty();
  }
}
