package io.switchboard.message.store;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.Mentions;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Writes a batch of messages with one call of the {@code persist_messages} function
 * (R__persist_messages.sql): one round trip, one transaction, the batch's rooms locked only while the
 * function runs. The outcome is one entry per request, in request order: a stored message (new or a
 * duplicate) or a per-request failure (a room missing or of another tenant is {@code NOT_FOUND}, a
 * sender who may not post there {@code FORBIDDEN}, also a member muted there, with until when, a
 * message too early in slow mode {@code SLOW_MODE}); a failure of the call itself fails the returned
 * future.
 */
final class WriteBatch {
  /**
   * Message ids are time-ordered (UUID version 7): new ids go to the right end of the id index
   * instead of a random page of it, which keeps that index's inserts cheap and its pages cached.
   */
  private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

  // Sql.PERSIST_MESSAGES' columns by position: a lookup by name scans the row's column names, once per
  // getter and row (2.5 % of the durable benchmark's server samples).
  private static final int ORD = 0;
  private static final int ID = 1;
  private static final int SEQ = 2;
  private static final int CREATED_AT = 3;
  private static final int DUPLICATE = 4;
  private static final int DELIVERY = 5;
  private static final int ROOM_FOUND = 6;
  private static final int ALLOWED = 7;
  private static final int MUTED_UNTIL = 8;
  private static final int RETRY_AFTER_MS = 9;
  private static final int SLOW_MODE = 10;
  private static final int MENTIONS = 11;

  private WriteBatch() {}

  /** One request's outcome: exactly one of {@code stored} and {@code failure} is set. */
  record Outcome(Stored stored, ServiceException failure) {}

  static Future<List<Outcome>> write(Pool pool, List<Posting> postings) {
    List<PersistRequest> requests = postings.stream().map(Posting::request).toList();
    UUID[] ids = new UUID[requests.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = IDS.generate();
    }
    Tuple params = Tuple.tuple()
        .addArrayOfString(requests.stream().map(PersistRequest::roomId).toArray(String[]::new))
        .addArrayOfString(requests.stream().map(PersistRequest::clientMsgId).toArray(String[]::new))
        .addArrayOfUUID(ids)
        .addArrayOfString(requests.stream().map(r -> r.sender().userId()).toArray(String[]::new))
        .addArrayOfString(requests.stream().map(r -> r.sender().name()).toArray(String[]::new))
        .addArrayOfString(requests.stream().map(PersistRequest::body).toArray(String[]::new))
        .addArrayOfUUID(requests.stream().map(r -> r.replyTo() == null ? null : UUID.fromString(r.replyTo())).toArray(UUID[]::new))
        .addArrayOfString(requests.stream().map(r -> r.meta() == null ? null : r.meta().encode()).toArray(String[]::new))
        .addArrayOfString(postings.stream().map(Posting::tenant).toArray(String[]::new))
        .addArrayOfBoolean(postings.stream().map(Posting::bySystem).toArray(Boolean[]::new))
        .addArrayOfString(requests.stream().map(r -> r.attachments().isEmpty() ? null
            : Json.toJsonArray(r.attachments()).encode()).toArray(String[]::new));
    return pool.preparedQuery(Sql.PERSIST_MESSAGES).execute(params).map(rows -> {
      // Placed by ord: the function returns one row per request, in no promised order.
      Outcome[] outcomes = new Outcome[requests.size()];
      // Every row inserted by one transaction has its created_at (now()), so it is formatted once.
      OffsetDateTime lastAt = null;
      String lastIso = null;
      for (Row row : rows) {
        int index = row.getInteger(ORD) - 1;
        PersistRequest r = requests.get(index);
        if (!row.getBoolean(ROOM_FOUND)) {
          outcomes[index] = new Outcome(null, ServiceException.of(ErrorCode.NOT_FOUND, "no such room"));
          continue;
        }
        if (!row.getBoolean(ALLOWED)) {
          outcomes[index] = new Outcome(null, ServiceException.of(ErrorCode.FORBIDDEN, "not a member of this room"));
          continue;
        }
        OffsetDateTime mutedUntil = row.getOffsetDateTime(MUTED_UNTIL);
        if (mutedUntil != null) {
          outcomes[index] = new Outcome(null, Moderation.muted(mutedUntil.toInstant()));
          continue;
        }
        Integer slowMode = row.getInteger(SLOW_MODE);
        Long wait = row.getLong(RETRY_AFTER_MS);
        if (wait != null) {
          outcomes[index] = new Outcome(null, Moderation.slowMode(wait, slowMode == null ? 0 : slowMode));
          continue;
        }
        if (row.getValue(ID) == null) {
          // Found when the statement began, gone when it came to the room's lock: deleted meanwhile.
          outcomes[index] = new Outcome(null, ServiceException.of(ErrorCode.NOT_FOUND, "no such room"));
          continue;
        }
        boolean duplicate = row.getBoolean(DUPLICATE);
        OffsetDateTime at = row.getOffsetDateTime(CREATED_AT);
        if (!at.equals(lastAt)) {
          lastAt = at;
          lastIso = Rows.iso(at);
        }
        // A duplicate's stored fields are those of the first send; the request's own fields match them
        // unless a client reused an id for another message, which the id and seq still identify.
        ChatMessage message = new ChatMessage(row.getUUID(ID).toString(), r.clientMsgId(), r.roomId(),
            row.getLong(SEQ),
            r.sender().userId(), r.sender().name(), r.body(), r.replyTo(), r.meta(),
            lastIso, null, false, false, List.of(), 0, null, r.attachments(), Mentions.fromStored(row.getValue(MENTIONS)));
        Delivery delivery = Delivery.fromWire(row.getString(DELIVERY)).orElse(Delivery.OPTIMISTIC);
        outcomes[index] = new Outcome(new Stored(new PersistResult(message, duplicate, slowMode == null ? 0 : slowMode),
            delivery), null);
      }
      return Arrays.asList(outcomes);
    });
  }
}
