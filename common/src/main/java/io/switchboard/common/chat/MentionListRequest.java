package io.switchboard.common.chat;

import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A page of the messages that mention the user (docs/protocol.md, "Mentions"), newest first, in the
 * rooms of their tenant they are a member of (one room when {@code roomId} is set), after the message
 * ({@code afterCreatedAt}, {@code afterId}) that ended the previous page (the first page when null),
 * and only those stored after {@code since} (ISO-8601; any when null).
 */
public record MentionListRequest(Sender user, String roomId, String afterCreatedAt, String afterId, String since, int limit) {
  /** The page size when a request names none. */
  public static final int DEFAULT_LIMIT = 50;
  /** The largest page. */
  public static final int MAX_LIMIT = 100;

  /**
   * A request from the contract's {@code list-mentions} fields: {@code after} is the {@code next} of
   * an earlier page (its last message's time and id, as base64url JSON, opaque to clients), or null.
   *
   * @throws IllegalArgumentException when {@code after} is not such a cursor
   */
  public static MentionListRequest of(Sender user, String roomId, String after, Integer limit) {
    String createdAt = null;
    String id = null;
    if (after != null) {
      try {
        JsonArray cursor = new JsonArray(new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8));
        createdAt = java.time.Instant.parse(cursor.getString(0)).toString();
        id = java.util.UUID.fromString(cursor.getString(1)).toString();
      } catch (RuntimeException notACursor) {
        throw new IllegalArgumentException("must be the next of an earlier page");
      }
    }
    return new MentionListRequest(user, roomId, createdAt, id, null, limit == null ? DEFAULT_LIMIT : limit);
  }

  /** The {@code next} of a page that has more: the cursor after its last message. */
  public static String next(ChatMessage last) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonArray().add(last.createdAt()).add(last.id())
        .encode().getBytes(StandardCharsets.UTF_8));
  }
}
