package io.switchboard.common.chat;

import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A page of the public rooms of the user's tenant whose name contains {@code query} (any, when
 * null), by name then id, after the room ({@code afterName}, {@code afterId}) that ended the
 * previous page (the first page when null).
 */
public record RoomSearchRequest(Sender user, String query, String afterName, String afterId, int limit) {
  /** The page size when a request names none. */
  public static final int DEFAULT_LIMIT = 50;

  /**
   * A request from the contract's {@code search-rooms} fields: {@code after} is the {@code next} of
   * an earlier page (the last room's name and id, as base64url JSON, opaque to clients), or null.
   *
   * @throws IllegalArgumentException when {@code after} is not such a cursor
   */
  public static RoomSearchRequest of(Sender user, String query, String after, Integer limit) {
    String afterName = null;
    String afterId = null;
    if (after != null) {
      try {
        JsonArray cursor = new JsonArray(new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8));
        afterName = cursor.getString(0);
        afterId = cursor.getString(1);
      } catch (RuntimeException notACursor) {
        throw new IllegalArgumentException("must be the next of an earlier page");
      }
      if (afterName == null || afterId == null) {
        throw new IllegalArgumentException("must be the next of an earlier page");
      }
    }
    return new RoomSearchRequest(user, query, afterName, afterId, limit == null ? DEFAULT_LIMIT : limit);
  }

  /** The {@code next} of a page that has more: the cursor after its last room. */
  public static String next(RoomSummary last) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonArray().add(last.name()).add(last.id()).encode().getBytes(StandardCharsets.UTF_8));
  }
}
