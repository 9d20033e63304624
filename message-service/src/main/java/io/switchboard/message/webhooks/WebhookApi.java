package io.switchboard.message.webhooks;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Identities;
import io.switchboard.message.store.StatementBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chat.webhooks.manage} (docs/operations.md, "Webhooks"): a tenant's endpoints, in plain JSON
 * like {@code chat.room.manage}, for any backend service (or over HTTP as {@code POST /api/webhooks}
 * with the service token, once the gateway routes it).
 *
 * <pre>{ action, tenant, url?, events?, id?, limit? }</pre>
 *
 * {@code create-endpoint} (url, events) answers the endpoint with its secret, the only time it is
 * shown; {@code list-endpoints}; {@code delete-endpoint} (id); {@code rotate-secret} (id) answers the
 * new secret, the previous one signing too for {@code WEBHOOKS_SECRET_GRACE_SECONDS};
 * {@code list-dead-letters} (limit, at most 100); {@code redeliver} (id of a dead letter).
 *
 * <p>It also takes presence-service's status transitions ({@code webhooks.user.status}) and makes
 * them deliveries for the endpoints that want {@code user.online} or {@code user.offline}.
 */
public final class WebhookApi {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookApi.class);
  static final String USER_ONLINE = "user.online";
  static final String USER_OFFLINE = "user.offline";
  /** A delivery per endpoint of the tenant for the event, its body built here, in one statement. */
  private static final String USER_STATUS =
      "INSERT INTO webhook_deliveries (id, endpoint_id, event, payload)"
          + " SELECT x.id, e.id, $2::text, json_build_object('id', x.id, 'type', $2::text, 'tenant', $1::text,"
          + "   'createdAt', now(), 'data', json_build_object('userId', $3::text, 'status', $4::text, 'at', $5::text))::text"
          + " FROM webhook_endpoints e CROSS JOIN LATERAL (SELECT md5(random()::text || clock_timestamp()::text || e.id::text)::uuid AS id) x"
          + " WHERE e.tenant_id = $1::text AND $2::text = ANY (e.events)";

  /** The events an endpoint may subscribe to in this release. */
  static final Set<String> EVENTS = Set.of(WebhookDispatcher.MESSAGE_CREATED, WebhookDispatcher.MENTION,
      WebhookDispatcher.ROOM_CHANGED, USER_ONLINE, USER_OFFLINE);
  private static final int MAX_EVENTS = 10;
  private static final int USER_STATUS_BATCH_MAX = 256;

  private final Vertx vertx;
  private final WebhookStore store;
  private final AddressGuard guard;
  private final long secretGraceSeconds;
  private final StatementBatch userStatuses;

  public WebhookApi(Vertx vertx, io.vertx.sqlclient.Pool pool, WebhookSettings settings) {
    this.vertx = vertx;
    this.store = new WebhookStore(pool);
    this.guard = new AddressGuard(vertx, settings.allowPrivate());
    this.secretGraceSeconds = settings.secretGraceSeconds();
    // A storm of connections is a storm of these: in batches, they take one connection of the pool, not all.
    this.userStatuses = new StatementBatch(pool, USER_STATUS, USER_STATUS_BATCH_MAX, null);
  }

  /** The consumers of {@code chat.webhooks.manage} and {@code webhooks.user.status}. */
  public Future<List<MessageConsumer<?>>> register() {
    MessageConsumer<JsonObject> manage = vertx.eventBus().consumer(Addresses.CHAT_WEBHOOKS_MANAGE, this::answer);
    MessageConsumer<JsonObject> status = vertx.eventBus().consumer(Addresses.WEBHOOKS_USER_STATUS,
        msg -> userStatus(msg.body()).onFailure(failure -> LOG.warn("webhooks: user status not recorded: {}", failure.toString())));
    return Future.all(manage.completion(), status.completion()).map(v -> List.of(manage, status));
  }

  /** presence-service's transition: a delivery for each endpoint of the tenant that wants user.online or user.offline. */
  Future<Void> userStatus(JsonObject change) {
    String tenant = change == null ? null : change.getString("tenant");
    String status = change == null ? null : change.getString("status");
    String event = "online".equals(status) ? USER_ONLINE : "offline".equals(status) ? USER_OFFLINE : null;
    if (tenant == null || event == null || change.getString("userId") == null || change.getString("at") == null) {
      return Future.failedFuture("a status change needs tenant, userId, status (online or offline) and at");
    }
    return userStatuses
        .execute(io.vertx.sqlclient.Tuple.of(tenant, event, change.getString("userId"), status, change.getString("at")))
        .mapEmpty();
  }

  private void answer(Message<JsonObject> msg) {
    Future<JsonObject> result;
    try {
      result = manage(msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(msg::reply, failure -> msg.fail(ServiceException.codeOf(failure).busCode(),
        failure.getMessage() == null ? failure.toString() : failure.getMessage()));
  }

  public Future<JsonObject> manage(JsonObject json) {
    if (json == null) {
      throw invalid("a JSON object is required");
    }
    String tenant = json.getValue("tenant") instanceof String t ? t : null;
    if (tenant == null || Identities.tenantProblem(tenant) != null) {
      throw invalid("tenant: a tenant id is required");
    }
    String action = json.getValue("action") instanceof String a ? a : "";
    return switch (action) {
      case "create-endpoint" -> create(tenant, json);
      case "list-endpoints" -> store.list(tenant).map(all -> new JsonObject().put("endpoints", all));
      case "delete-endpoint" -> store.delete(tenant, id(json)).compose(found -> found(found, new JsonObject().put("deleted", true)));
      case "rotate-secret" -> store.rotate(tenant, id(json), secretGraceSeconds)
          .compose(rotated -> found(rotated != null, rotated));
      case "list-dead-letters" -> store.deadLetters(tenant, limit(json)).map(all -> new JsonObject().put("deadLetters", all));
      case "redeliver" -> store.redeliver(tenant, id(json)).compose(found -> found(found, new JsonObject().put("redelivered", true)));
      default -> throw invalid("action: one of create-endpoint, list-endpoints, delete-endpoint, rotate-secret,"
          + " list-dead-letters, redeliver");
    };
  }

  private Future<JsonObject> create(String tenant, JsonObject json) {
    String url = json.getValue("url") instanceof String u ? u : null;
    java.net.URI uri = AddressGuard.parse(url);
    List<String> events = new ArrayList<>();
    if (!(json.getValue("events") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_EVENTS) {
      throw invalid("events: a non-empty array of " + EVENTS);
    }
    for (Object event : array) {
      if (!(event instanceof String name) || !EVENTS.contains(name)) {
        throw invalid("events: each one of " + EVENTS);
      }
      if (!events.contains(name)) {
        events.add(name);
      }
    }
    return guard.resolve(uri).compose(address -> store.create(tenant, url, events));
  }

  private static Future<JsonObject> found(boolean found, JsonObject answer) {
    return found ? Future.succeededFuture(answer)
        : Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such endpoint or dead letter of this tenant"));
  }

  private static UUID id(JsonObject json) {
    try {
      return UUID.fromString(json.getString("id"));
    } catch (RuntimeException e) {
      throw invalid("id: the id of an endpoint or delivery");
    }
  }

  private static int limit(JsonObject json) {
    Object limit = json.getValue("limit");
    if (limit == null) {
      return 100;
    }
    if (!(limit instanceof Integer n) || n < 1 || n > 100) {
      throw invalid("limit: 1 to 100");
    }
    return n;
  }

  private static ServiceException invalid(String message) {
    return ServiceException.of(ErrorCode.VALIDATION_ERROR, message);
  }
}
