package io.switchboard.message.webhooks;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** A tenant's webhook endpoints and dead letters in Postgres (V17__webhooks.sql). Every statement names the tenant. */
final class WebhookStore {
  private static final String INSERT_ENDPOINT =
      "INSERT INTO webhook_endpoints (id, tenant_id, url, events, secret) VALUES ($1, $2, $3, $4, $5) RETURNING created_at";
  private static final String LIST_ENDPOINTS =
      "SELECT id, url, events, created_at, previous_expires_at > now() AS rotating FROM webhook_endpoints"
          + " WHERE tenant_id = $1 ORDER BY created_at, id";
  private static final String DELETE_ENDPOINT = "DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2";
  private static final String ROTATE =
      "UPDATE webhook_endpoints SET previous_secret = secret, secret = $3,"
          + " previous_expires_at = now() + $4::bigint * interval '1 second'"
          + " WHERE tenant_id = $1 AND id = $2 RETURNING previous_expires_at";
  private static final String DEAD_LETTERS =
      "SELECT d.id, d.endpoint_id, d.event, d.attempts, d.last_status, d.last_error, d.created_at, d.finished_at"
          + " FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id"
          + " WHERE e.tenant_id = $1 AND d.state = 'dead' ORDER BY d.finished_at DESC, d.id LIMIT $2";
  private static final String REDELIVER =
      "UPDATE webhook_deliveries d SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,"
          + " finished_at = NULL FROM webhook_endpoints e"
          + " WHERE d.id = $2 AND e.id = d.endpoint_id AND e.tenant_id = $1 AND d.state = 'dead'";

  private final Pool pool;

  WebhookStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> create(String tenant, String url, List<String> events) {
    UUID id = UUID.randomUUID();
    String secret = Signatures.newSecret();
    return pool.preparedQuery(INSERT_ENDPOINT)
        .execute(Tuple.of(id, tenant, url, events.toArray(String[]::new), secret))
        .map(rows -> new JsonObject().put("id", id.toString()).put("url", url).put("events", new JsonArray(events))
            .put("secret", secret).put("createdAt", rows.iterator().next().getOffsetDateTime("created_at").toString()));
  }

  /** The endpoints, without their secrets (shown once, at creation and rotation). */
  Future<JsonArray> list(String tenant) {
    return pool.preparedQuery(LIST_ENDPOINTS).execute(Tuple.of(tenant)).map(rows -> {
      JsonArray all = new JsonArray();
      for (Row row : rows) {
        all.add(new JsonObject().put("id", row.getUUID("id").toString()).put("url", row.getString("url"))
            .put("events", new JsonArray(List.of(row.getArrayOfStrings("events"))))
            .put("createdAt", row.getOffsetDateTime("created_at").toString())
            .put("rotating", Boolean.TRUE.equals(row.getBoolean("rotating"))));
      }
      return all;
    });
  }

  /** False when the tenant has no such endpoint. Its deliveries go with it. */
  Future<Boolean> delete(String tenant, UUID id) {
    return pool.preparedQuery(DELETE_ENDPOINT).execute(Tuple.of(tenant, id)).map(rows -> rows.rowCount() == 1);
  }

  /** The new secret and until when the previous one signs too; null when the tenant has no such endpoint. */
  Future<JsonObject> rotate(String tenant, UUID id, long graceSeconds) {
    String secret = Signatures.newSecret();
    return pool.preparedQuery(ROTATE).execute(Tuple.of(tenant, id, secret, graceSeconds)).map(rows -> rows.rowCount() == 0
        ? null
        : new JsonObject().put("id", id.toString()).put("secret", secret)
            .put("previousValidUntil", rows.iterator().next().getOffsetDateTime("previous_expires_at").toString()));
  }

  Future<JsonArray> deadLetters(String tenant, int limit) {
    return pool.preparedQuery(DEAD_LETTERS).execute(Tuple.of(tenant, limit)).map(rows -> {
      JsonArray all = new JsonArray();
      for (Row row : rows) {
        all.add(new JsonObject().put("id", row.getUUID("id").toString())
            .put("endpointId", row.getUUID("endpoint_id").toString()).put("event", row.getString("event"))
            .put("attempts", row.getInteger("attempts")).put("lastStatus", row.getInteger("last_status"))
            .put("lastError", row.getString("last_error"))
            .put("createdAt", row.getOffsetDateTime("created_at").toString())
            .put("deadAt", row.getOffsetDateTime("finished_at").toString()));
      }
      return all;
    });
  }

  /** A dead letter back to pending, due now, with its attempts from zero; false when there is no such dead letter. */
  Future<Boolean> redeliver(String tenant, UUID deliveryId) {
    return pool.preparedQuery(REDELIVER).execute(Tuple.of(tenant, deliveryId)).map(rows -> rows.rowCount() == 1);
  }
}
