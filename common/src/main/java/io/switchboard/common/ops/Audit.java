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

  /**
   * A change of a room's members or roles by {@code actorId}, committed with {@code seq}:
   * {@code members} names who and which roles (user ids, never message bodies). The durable record is
   * message-service's {@code room_audit} table; this line is for the log pipeline.
   */
  public static void roomChange(String type, String actorId, String tenant, String roomId, long seq, String members) {
    LOG.atInfo().setMessage(type).addKeyValue("audit", type).addKeyValue("userId", actorId).addKeyValue("tenant", tenant)
        .addKeyValue("roomId", roomId).addKeyValue("seq", seq).addKeyValue("members", members).log();
  }

  /** A change by {@code actorId} of how they deal with another user, {@code targetId} (a block), committed. */
  public static void userChange(String type, String actorId, String tenant, String targetId) {
    LOG.atInfo().setMessage(type).addKeyValue("audit", type).addKeyValue("userId", actorId).addKeyValue("tenant", tenant)
        .addKeyValue("targetId", targetId).log();
  }
}
