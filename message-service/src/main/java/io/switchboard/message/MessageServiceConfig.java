package io.switchboard.message;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.message.attachments.AttachmentSettings;
import io.switchboard.message.store.RetentionSettings;
import io.switchboard.message.store.WriterSettings;
import io.switchboard.message.webhooks.PushSettings;
import io.switchboard.message.webhooks.WebhookSettings;
import io.vertx.pgclient.PgConnectOptions;

/**
 * What message-service needs from the configuration, checked once at start. {@code replica} is null
 * without PG_READ_URL; {@code partitionsAhead}: the monthly partitions of messages made ahead
 * (PartitionsJob); {@code region} is empty with one region, and {@code regionRelay} true only with a region.
 */
public record MessageServiceConfig(PgConnectOptions postgres, PgConnectOptions replica, boolean transactionPooling, int poolSize, WriterSettings writer, String opsHost,
    int opsPort, String adminToken, int maxBodyChars, int maxMetaBytes, int roomMembersMax, int maxReactionKinds,
    RetentionSettings retention, AttachmentSettings attachments, WebhookSettings webhooks, int searchTimeoutMs,
    PushSettings push, int partitionsAhead, String region, boolean regionRelay) {

  public static MessageServiceConfig from(Config config) {
    if (!config.isSet(ConfigKey.PG_URL)) {
      throw new IllegalArgumentException("message-service: " + ConfigKey.PG_URL.env()
          + " is required (the launcher sets it to the embedded Postgres in dev mode)");
    }
    boolean pooled = config.bool(ConfigKey.PG_TRANSACTION_POOLING);
    String region = config.string(ConfigKey.REGION).trim();
    boolean relay = !region.isEmpty() && config.bool(ConfigKey.REGION_RELAY);
    if (relay && pooled) {
      // LISTEN lives in a session: a transaction pooler would hand the relay's notifications to no one.
      throw new IllegalArgumentException("config: " + ConfigKey.REGION_RELAY.env() + " needs a session connection; with "
          + ConfigKey.PG_TRANSACTION_POOLING.env() + "=true set it to false here and run the relay in a process with a direct PG_URL");
    }
    PgConnectOptions pg = connectOptions(config.string(ConfigKey.PG_URL), pooled);
    PgConnectOptions replica = config.isSet(ConfigKey.PG_READ_URL) ? connectOptions(config.string(ConfigKey.PG_READ_URL), pooled) : null;
    WriterSettings writer = new WriterSettings(
        config.integer(ConfigKey.PERSIST_BATCH_MAX),
        config.longValue(ConfigKey.PERSIST_BATCH_WINDOW_MS),
        config.integer(ConfigKey.PERSIST_LANES),
        config.integer(ConfigKey.PERSIST_MAX_PENDING),
        config.longValue(ConfigKey.PERSIST_DEADLINE_MS));
    return new MessageServiceConfig(pg, replica, pooled, config.integer(ConfigKey.PG_POOL_SIZE), writer,
        config.string(ConfigKey.HTTP_HOST), config.integer(ConfigKey.MESSAGE_OPS_PORT), config.string(ConfigKey.ADMIN_TOKEN),
        config.integer(ConfigKey.MAX_BODY_CHARS), config.integer(ConfigKey.MAX_META_BYTES),
        config.integer(ConfigKey.ROOM_MEMBERS_MAX), config.integer(ConfigKey.MAX_REACTION_KINDS),
        new RetentionSettings(config.integer(ConfigKey.RETENTION_DAYS),
            RetentionSettings.parseTenants(config.string(ConfigKey.TENANT_RETENTION_DAYS)),
            config.longValue(ConfigKey.RETENTION_INTERVAL_SECONDS), config.integer(ConfigKey.RETENTION_BATCH)),
        AttachmentSettings.from(config), WebhookSettings.from(config), config.integer(ConfigKey.SEARCH_TIMEOUT_MS),
        PushSettings.from(config),
        config.integer(ConfigKey.MESSAGE_PARTITIONS_AHEAD),
        region, relay);
  }

  /**
   * Prepared statements cached per connection and pipelined; behind a pooler in transaction mode
   * (PgBouncer before 1.21 knows no prepared statements: a named one made on one server connection is
   * missing on the next) the client uses unnamed ones, sent with their parameters in one go, and
   * waits for each answer before the next statement.
   */
  private static PgConnectOptions connectOptions(String uri, boolean transactionPooling) {
    PgConnectOptions options = PgConnectOptions.fromUri(uri).setReconnectAttempts(0);
    return transactionPooling
        ? options.setUseLayer7Proxy(true).setCachePreparedStatements(false).setPipeliningLimit(1)
        : options.setCachePreparedStatements(true).setPipeliningLimit(256);
  }
}
