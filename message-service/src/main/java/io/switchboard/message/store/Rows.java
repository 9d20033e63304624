package io.switchboard.message.store;

import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.Reaction;
import io.switchboard.common.chat.ThreadSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Row to record mapping. */
final class Rows {
  private Rows() {}

  static ChatMessage message(Row row) {
    UUID replyTo = row.getUUID("reply_to");
    Object meta = row.getValue("meta");
    return new ChatMessage(
        row.getUUID("id").toString(),
        row.getString("client_msg_id"),
        row.getString("room_id"),
        row.getLong("seq"),
        row.getString("sender_id"),
        row.getString("sender_name"),
        row.getString("body"),
        replyTo == null ? null : replyTo.toString(),
        meta instanceof JsonObject json ? json : null,
        iso(row.getOffsetDateTime("created_at")),
        iso(row.getOffsetDateTime("edited_at")),
        row.getBoolean("deleted"),
        false,
        reactions(row),
        row.getColumnIndex("reactions_version") < 0 ? 0 : row.getInteger("reactions_version"),
        thread(row),
        attachments(row),
        mentions(row));
  }

  /** The {@code mentions} column (V20), when the query reads it; null for none. */
  static io.switchboard.common.chat.Mentions mentions(Row row) {
    int column = row.getColumnIndex("mentions");
    return column < 0 ? null : io.switchboard.common.chat.Mentions.fromStored(row.getValue(column));
  }

  /** The {@code attachments} column (V16): the descriptors the batched write stored; none otherwise. */
  static List<io.switchboard.common.chat.Attachment> attachments(Row row) {
    int column = row.getColumnIndex("attachments");
    if (column < 0 || !(row.getValue(column) instanceof JsonArray stored)) {
      return List.of();
    }
    List<io.switchboard.common.chat.Attachment> list = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      list.add(io.switchboard.common.bus.Json.fromJson(stored.getJsonObject(i), io.switchboard.common.chat.Attachment.class));
    }
    return list;
  }

  /** The {@code thread} column of a query that reads it (Sql's thread of a message); null otherwise or without replies. */
  static ThreadSummary thread(Row row) {
    int column = row.getColumnIndex("thread");
    if (column < 0 || !(row.getValue(column) instanceof JsonObject thread)) {
      return null;
    }
    return new ThreadSummary(thread.getLong("replies"), thread.getLong("lastReplySeq"),
        java.time.OffsetDateTime.parse(thread.getString("lastReplyAt")).toInstant().toString());
  }

  /** The {@code reactions} column of a query that reads them (Sql's reactions for a reader); none otherwise. */
  static List<Reaction> reactions(Row row) {
    int column = row.getColumnIndex("reactions");
    if (column < 0 || !(row.getValue(column) instanceof JsonArray kinds)) {
      return List.of();
    }
    List<Reaction> list = new ArrayList<>(kinds.size());
    for (int i = 0; i < kinds.size(); i++) {
      JsonObject kind = kinds.getJsonObject(i);
      List<String> users = new ArrayList<>();
      kind.getJsonArray("users").forEach(user -> users.add((String) user));
      list.add(new Reaction(kind.getString("emoji"), kind.getInteger("count"), users, kind.getBoolean("me")));
    }
    return list;
  }

  static List<ChatMessage> messages(RowSet<Row> rows) {
    List<ChatMessage> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(message(row)));
    return list;
  }

  /** Messages as their reader sees them: those of users the reader blocks ({@code hidden}) as placeholders. */
  static List<ChatMessage> messagesForReader(RowSet<Row> rows) {
    List<ChatMessage> list = new ArrayList<>(rows.size());
    rows.forEach(row -> {
      ChatMessage message = message(row);
      list.add(Boolean.TRUE.equals(row.getBoolean("hidden")) ? message.hiddenFromReader() : message);
    });
    return list;
  }

  static String iso(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}
