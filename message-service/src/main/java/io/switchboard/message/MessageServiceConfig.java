package io.switchboard.message;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.message.attachments.AttachmentSettings;
import io.switchboard.message.store.RetentionSettings;
import io.switchboard.message.store.WriterSettings;
import io.switchboard.message.webhooks.PushSettings;
import io.switchboard.message.webhooks.WebhookSettings;
import io.vertx.pgclient.PgConnectOptions;

/** What message-service needs from the configuration, checked once at start. */
public record MessageServiceConfig(PgConnectOptions postgres, int poolSize, WriterSettings writer, String opsHost,
    int opsPort, String adminToken, int maxBodyChars, int maxMetaBytes, int roomMembersMax, int maxReactionKinds,
    RetentionSettings retention, AttachmentSettings attachments, WebhookSettings webhooks, int searchTimeoutMs, PushSettings push) {

  public static MessageServiceConfig from(Config config) {
    if (!config.isSet(ConfigKey.PG_URL)) {
      throw new IllegalArgumentException("message-service: " + ConfigKey.PG_URL.env()
          + " is required (the launcher sets it to the embedded Postgres in dev mode)");
    }
    PgConnectOptions pg = PgConnectOptions.fromUri(config.string(ConfigKey.PG_URL))
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(0);
    WriterSettings writer = new WriterSettings(
        config.integer(ConfigKey.PERSIST_BATCH_MAX),
        config.longValue(ConfigKey.PERSIST_BATCH_WINDOW_MS),
        config.integer(ConfigKey.PERSIST_LANES),
        config.integer(ConfigKey.PERSIST_MAX_PENDING),
        config.longValue(ConfigKey.PERSIST_DEADLINE_MS));
    return new MessageServiceConfig(pg, config.integer(ConfigKey.PG_POOL_SIZE), writer,
        config.string(ConfigKey.HTTP_HOST), config.integer(ConfigKey.MESSAGE_OPS_PORT), config.string(ConfigKey.ADMIN_TOKEN),
        config.integer(ConfigKey.MAX_BODY_CHARS), config.integer(ConfigKey.MAX_META_BYTES),
        config.integer(ConfigKey.ROOM_MEMBERS_MAX), config.integer(ConfigKey.MAX_REACTION_KINDS),
        new RetentionSettings(config.integer(ConfigKey.RETENTION_DAYS),
            RetentionSettings.parseTenants(config.string(ConfigKey.TENANT_RETENTION_DAYS)),
            config.longValue(ConfigKey.RETENTION_INTERVAL_SECONDS), config.integer(ConfigKey.RETENTION_BATCH)),
        AttachmentSettings.from(config), WebhookSettings.from(config), config.integer(ConfigKey.SEARCH_TIMEOUT_MS),
        PushSettings.from(config));
  }
}
