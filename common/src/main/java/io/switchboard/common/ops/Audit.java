package io.switchboard.common.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The audit log: one structured line per security event on the logger {@code audit}, with who,
 * from where, on which connection and why. Never tokens, never message bodies.
 */
public final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger("audit");

  private Audit() {}

  public static void event(String type, String userId, String tenant, String address, String connectionId, String reason) {
    LoggingEventBuilder line = LOG.atWarn().setMessage(type).addKeyValue("audit", type);
    if (userId != null) {
      line = line.addKeyValue("userId", userId);
    }
    if (tenant != null) {
      line = line.addKeyValue("tenant", tenant);
    }
    line.addKeyValue("address", address).addKeyValue("connectionId", connectionId).addKeyValue("reason", reason).log();
  }

  /**
   * Events of {@code type} from {@code address} that were not written one by one: {@code count} more
   * than the one written within the last {@code windowMs}. Keeps a flood from flooding the log.
   */
  public static void suppressed(String type, String address, int count, long windowMs) {
    LOG.atWarn().setMessage(type + ".suppressed").addKeyValue("audit", type + ".suppressed")
        .addKeyValue("address", address).addKeyValue("count", count).addKeyValue("windowMs", windowMs).log();
  }
}
