package io.switchboard.message.store;

import io.switchboard.common.chat.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages a region stores, told to the other regions that share its Postgres primary
 * (docs/architecture.md, "Regions"): after the commit, one {@code NOTIFY} per event-loop turn of the
 * writer names the rooms and seqs it stored, and each region's relay reads those it did not write
 * and delivers them to its own gateways.
 *
 * <p>After the commit, not in the write's transaction: a {@code NOTIFY} makes every committing
 * transaction take Postgres' one notification-queue lock, which would serialize the batched writes
 * of all rooms; and it would hold the rooms' locks for one more round trip. The price: a process
 * that dies between its commit and its notice leaves the other regions a gap in the room's seqs,
 * which clients fill from history as they fill any gap (docs/protocol.md, section 5).
 *
 * <p>The notice carries room ids and seqs, not the messages: a payload is at most 8,000 bytes, and
 * the relay reads the rows it needs with one keyset read per room.
 */
public final class RegionFeed {
  private static final Logger LOG = LoggerFactory.getLogger(RegionFeed.class);
  /** The one channel of every region's notices. */
  public static final String CHANNEL = "switchboard_region_messages";
  /** Below Postgres' 8,000-byte payload limit, with room for the JSON around the ranges. */
  static final int MAX_PAYLOAD = 7_000;

  private static final String NOTIFY = "SELECT pg_notify($1, $2)";
  /** The stored messages of one room between two seqs, with the room's tenant (whom a reader may block). */
  private static final String RELAYED = "SELECT m.room_id, m.seq, m.id, m.client_msg_id, m.sender_id, m.sender_name, m.body, "
      + "m.reply_to, m.meta, m.created_at, m.edited_at, m.deleted, m.reactions_version, m.attachments, m.mentions, r.tenant_id "
      + "FROM messages m JOIN rooms r ON r.id = m.room_id WHERE m.room_id = $1 AND m.seq >= $2 AND m.seq <= $3 ORDER BY m.seq";

  /** Some seqs of one room, {@code from} to {@code to} inclusive, stored by one region. */
  public record Range(String roomId, long from, long to) {}

  /** One notice: the region that stored these messages. */
  public record Notice(String region, List<Range> ranges) {}

  /**
   * The messages after a seq in each of several rooms (at most {@code CATCH_UP_PER_ROOM} per room), in
   * seq order per room, with the room's tenant: one statement for a relay that missed notices.
   */
  private static final String RELAYED_AFTER = "SELECT m.room_id, m.seq, m.id, m.client_msg_id, m.sender_id, m.sender_name, "
      + "m.body, m.reply_to, m.meta, m.created_at, m.edited_at, m.deleted, m.reactions_version, m.attachments, m.mentions, "
      + "r.tenant_id FROM unnest($1::text[], $2::bigint[]) AS k(room_id, after_seq) JOIN rooms r ON r.id = k.room_id "
      + "CROSS JOIN LATERAL (SELECT * FROM messages x WHERE x.room_id = k.room_id AND x.seq > k.after_seq ORDER BY x.seq "
      + "LIMIT $3) m ORDER BY m.room_id, m.seq";
  /** Most messages a catch-up relays per room; beyond, the room's clients page history as after any gap. */
  public static final int CATCH_UP_PER_ROOM = 100;

  /** A message read for the relay, with its room's tenant. */
  public record Relayed(ChatMessage message, String tenant) {}

  private final Vertx vertx;
  private final SqlClient client;
  private final String region;
  /** Per room, the ranges stored in this turn, in seq order (one writer writes a room in order). */
  private final Map<String, List<long[]>> turn = new LinkedHashMap<>();
  private boolean flushing;

  /** On the writer's event loop; {@code client} sends the notices. */
  public RegionFeed(Vertx vertx, SqlClient client, String region) {
    this.vertx = vertx;
    this.client = client;
    this.region = region;
  }

  /**
   * A message this region just stored, or found stored (a duplicate: the other regions may never have
   * heard of its first write); told at the end of this turn, with the others.
   */
  public void stored(String roomId, long seq) {
    List<long[]> ranges = turn.computeIfAbsent(roomId, id -> new ArrayList<>());
    long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
    if (last != null && seq == last[1] + 1) {
      last[1] = seq;
    } else {
      ranges.add(new long[] {seq, seq});
    }
    if (!flushing) {
      flushing = true;
      vertx.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushing = false;
    List<Range> ranges = new ArrayList<>();
    turn.forEach((room, list) -> list.forEach(r -> ranges.add(new Range(room, r[0], r[1]))));
    turn.clear();
    for (String payload : payloads(region, ranges)) {
      client.preparedQuery(NOTIFY).execute(Tuple.of(CHANNEL, payload)).onFailure(failure ->
          // Stored but not told: the other regions' clients fill the gap from history.
          LOG.warn("regions: notice of {} not sent ({})", payload.length() > 200 ? payload.substring(0, 200) + "..." : payload,
              failure.toString()));
    }
  }

  /** The notices for these ranges, each under {@link #MAX_PAYLOAD} bytes. */
  static List<String> payloads(String region, List<Range> ranges) {
    List<String> payloads = new ArrayList<>();
    JsonArray current = new JsonArray();
    int size = 0;
    for (Range range : ranges) {
      JsonArray entry = new JsonArray().add(range.roomId()).add(range.from()).add(range.to());
      int entrySize = entry.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
      if (!current.isEmpty() && size + entrySize > MAX_PAYLOAD) {
        payloads.add(new JsonObject().put("region", region).put("rooms", current).encode());
        current = new JsonArray();
        size = 0;
      }
      current.add(entry);
      size += entrySize;
    }
    if (!current.isEmpty()) {
      payloads.add(new JsonObject().put("region", region).put("rooms", current).encode());
    }
    return payloads;
  }

  /** A notice as {@link #payloads} wrote it; null for anything else on the channel. */
  public static Notice parse(String payload) {
    try {
      JsonObject json = new JsonObject(payload);
      List<Range> ranges = new ArrayList<>();
      for (Object entry : json.getJsonArray("rooms")) {
        JsonArray range = (JsonArray) entry;
        ranges.add(new Range(range.getString(0), range.getLong(1), range.getLong(2)));
      }
      return new Notice(json.getString("region"), ranges);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The stored messages of a range, in seq order, each with its room's tenant. */
  public static Future<List<Relayed>> read(SqlClient client, Range range) {
    return client.preparedQuery(RELAYED).execute(Tuple.of(range.roomId(), range.from(), range.to())).map(rows -> {
      List<Relayed> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new Relayed(Rows.message(row), row.getString("tenant_id"))));
      return list;
    });
  }

  /** The stored messages after {@code afterSeqs[i]} in {@code roomIds[i]}, each with its room's tenant. */
  public static Future<List<Relayed>> readAfter(SqlClient client, List<String> roomIds, List<Long> afterSeqs) {
    return client.preparedQuery(RELAYED_AFTER)
        .execute(Tuple.of(roomIds.toArray(String[]::new), afterSeqs.toArray(Long[]::new), CATCH_UP_PER_ROOM))
        .map(rows -> {
          List<Relayed> list = new ArrayList<>(rows.size());
          rows.forEach(row -> list.add(new Relayed(Rows.message(row), row.getString("tenant_id"))));
          return list;
        });
  }
}
