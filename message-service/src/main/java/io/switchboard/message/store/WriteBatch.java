package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes a batch of messages in one transaction: lock the batch's rooms (in id order, so concurrent
 * writers never deadlock), find the client message ids already stored, insert the new messages with
 * the next seqs of their rooms, move each room's last seq. Holding the room locks makes concurrent
 * writers of a room (other lanes, other instances) queue up, so every stored duplicate is visible and
 * seq has no gap. The outcome is one entry per request, in request order: a stored message or a
 * per-request failure; a failure of the transaction itself fails the returned future.
 */
final class WriteBatch {
  private WriteBatch() {}

  /** One request's outcome: exactly one of {@code stored} and {@code failure} is set. */
  record Outcome(Stored stored, ServiceException failure) {}

  static Future<List<Outcome>> write(Pool pool, List<PersistRequest> requests) {
    return pool.getConnection().compose(conn -> conn.begin()
        .compose(tx -> run(conn, requests)
            .compose(outcomes -> tx.commit().map(outcomes))
            .recover(failure -> rollback(tx, failure)))
        .eventually(conn::close));
  }

  private static <T> Future<T> rollback(Transaction tx, Throwable failure) {
    return tx.rollback().transform(ignored -> Future.failedFuture(failure));
  }

  private static Future<List<Outcome>> run(SqlConnection conn, List<PersistRequest> requests) {
    String[] roomIds = new TreeSet<>(requests.stream().map(PersistRequest::roomId).toList()).toArray(String[]::new);
    String[] dupRooms = requests.stream().map(PersistRequest::roomId).toArray(String[]::new);
    String[] dupIds = requests.stream().map(PersistRequest::clientMsgId).toArray(String[]::new);
    // Pipelined on one connection; the second runs after the first holds the locks.
    Future<List<Row>> locked = conn.preparedQuery(Sql.LOCK_ROOMS)
        .execute(Tuple.tuple().addArrayOfString(roomIds)).map(Rows::list);
    Future<List<Row>> existing = conn.preparedQuery(Sql.STORED_CLIENT_IDS)
        .execute(Tuple.tuple().addArrayOfString(dupRooms).addArrayOfString(dupIds)).map(Rows::list);
    return Future.all(locked, existing).compose(v -> insert(conn, requests, locked.result(), existing.result()));
  }

  private static Future<List<Outcome>> insert(SqlConnection conn, List<PersistRequest> requests, List<Row> rooms,
      List<Row> existingRows) {
    Map<String, long[]> nextSeq = new HashMap<>();
    Map<String, Delivery> delivery = new HashMap<>();
    for (Row room : rooms) {
      nextSeq.put(room.getString("id"), new long[] {room.getLong("last_seq")});
      delivery.put(room.getString("id"), Delivery.fromWire(room.getString("delivery")).orElse(Delivery.OPTIMISTIC));
    }
    Map<String, ChatMessage> stored = new HashMap<>();
    existingRows.forEach(row -> stored.put(key(row.getString("room_id"), row.getString("client_msg_id")), Rows.message(row)));

    List<Outcome> outcomes = new ArrayList<>(requests.size());
    Map<String, Integer> firstOfKey = new LinkedHashMap<>();
    List<Integer> fresh = new ArrayList<>();
    List<ChatMessage> inserted = new ArrayList<>();
    for (PersistRequest r : requests) {
      String key = key(r.roomId(), r.clientMsgId());
      long[] seq = nextSeq.get(r.roomId());
      if (seq == null) {
        outcomes.add(new Outcome(null, ServiceException.of(ErrorCode.NOT_FOUND, "no such room")));
      } else if (stored.containsKey(key)) {
        outcomes.add(new Outcome(new Stored(new PersistResult(stored.get(key), true), delivery.get(r.roomId())), null));
      } else if (firstOfKey.containsKey(key)) {
        outcomes.add(null); // the same message twice in one batch: filled in from the first below
      } else {
        firstOfKey.put(key, outcomes.size());
        fresh.add(outcomes.size());
        seq[0]++;
        inserted.add(new ChatMessage(UUID.randomUUID().toString(), r.roomId(), seq[0], r.sender().userId(),
            r.sender().name(), r.body(), r.replyTo(), r.meta(), null, null, false));
        outcomes.add(null);
      }
    }
    if (inserted.isEmpty()) {
      return Future.succeededFuture(fillRepeats(requests, outcomes, firstOfKey));
    }
    Tuple rows = Tuple.tuple()
        .addArrayOfString(inserted.stream().map(ChatMessage::roomId).toArray(String[]::new))
        .addArrayOfLong(inserted.stream().map(ChatMessage::seq).toArray(Long[]::new))
        .addArrayOfUUID(inserted.stream().map(m -> UUID.fromString(m.id())).toArray(UUID[]::new))
        .addArrayOfString(fresh.stream().map(i -> requests.get(i).clientMsgId()).toArray(String[]::new))
        .addArrayOfString(inserted.stream().map(ChatMessage::senderId).toArray(String[]::new))
        .addArrayOfString(inserted.stream().map(ChatMessage::senderName).toArray(String[]::new))
        .addArrayOfString(inserted.stream().map(ChatMessage::body).toArray(String[]::new))
        .addArrayOfUUID(inserted.stream().map(m -> m.replyTo() == null ? null : UUID.fromString(m.replyTo())).toArray(UUID[]::new))
        .addArrayOfString(inserted.stream().map(m -> m.meta() == null ? null : m.meta().encode()).toArray(String[]::new));
    String[] touched = nextSeq.keySet().toArray(String[]::new);
    Long[] lastSeqs = java.util.Arrays.stream(touched).map(id -> nextSeq.get(id)[0]).toArray(Long[]::new);
    Future<List<Row>> insert = conn.preparedQuery(Sql.INSERT_MESSAGES).execute(rows).map(Rows::list);
    Future<?> bump = conn.preparedQuery(Sql.SET_LAST_SEQS)
        .execute(Tuple.tuple().addArrayOfString(touched).addArrayOfLong(lastSeqs));
    return Future.all(insert, bump).map(v -> {
      Map<String, String> createdAt = new HashMap<>();
      insert.result().forEach(row -> createdAt.put(key(row.getString("room_id"), String.valueOf(row.getLong("seq"))),
          Rows.iso(row.getOffsetDateTime("created_at"))));
      for (int n = 0; n < fresh.size(); n++) {
        ChatMessage m = inserted.get(n);
        ChatMessage withTime = new ChatMessage(m.id(), m.roomId(), m.seq(), m.senderId(), m.senderName(), m.body(),
            m.replyTo(), m.meta(), createdAt.get(key(m.roomId(), String.valueOf(m.seq()))), null, false);
        outcomes.set(fresh.get(n), new Outcome(new Stored(new PersistResult(withTime, false), delivery.get(m.roomId())), null));
      }
      return fillRepeats(requests, outcomes, firstOfKey);
    });
  }

  private static List<Outcome> fillRepeats(List<PersistRequest> requests, List<Outcome> outcomes, Map<String, Integer> firstOfKey) {
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == null) {
        PersistRequest r = requests.get(i);
        Outcome first = outcomes.get(firstOfKey.get(key(r.roomId(), r.clientMsgId())));
        outcomes.set(i, new Outcome(new Stored(new PersistResult(first.stored().result().message(), true),
            first.stored().delivery()), null));
      }
    }
    return outcomes;
  }

  private static String key(String roomId, String suffix) {
    return roomId + '\u0000' + suffix;
  }
}
