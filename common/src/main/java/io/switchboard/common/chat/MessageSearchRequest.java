package io.switchboard.common.chat;

import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A page of the messages of the rooms the user is a member of (one room when {@code roomId} is set)
 * that match {@code query} (docs/protocol.md, "Search"), best first, after the hit ({@code afterRank},
 * {@code afterCreatedAt}, {@code afterId}) that ended the previous page (the first page when null).
 */
public record MessageSearchRequest(Sender user, String query, String roomId, Float afterRank, String afterCreatedAt,
    String afterId, int limit) {
  /** The page size when a request names none. */
  public static final int DEFAULT_LIMIT = 20;
  /** The longest query, in characters. */
  public static final int MAX_QUERY_CHARS = 200;

  /**
   * A request from the contract's {@code search-messages} fields: {@code after} is the {@code next} of
   * an earlier page (the last hit's rank, time and id, as base64url JSON, opaque to clients), or null.
   *
   * @throws IllegalArgumentException when {@code after} is not such a cursor
   */
  public static MessageSearchRequest of(Sender user, String query, String roomId, String after, Integer limit) {
    Float rank = null;
    String createdAt = null;
    String id = null;
    if (after != null) {
      try {
        JsonArray cursor = new JsonArray(new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8));
        rank = cursor.getNumber(0).floatValue();
        createdAt = java.time.Instant.parse(cursor.getString(1)).toString();
        id = java.util.UUID.fromString(cursor.getString(2)).toString();
      } catch (RuntimeException notACursor) {
        throw new IllegalArgumentException("must be the next of an earlier page");
      }
    }
    return new MessageSearchRequest(user, query, roomId, rank, createdAt, id, limit == null ? DEFAULT_LIMIT : limit);
  }

  /** The {@code next} of a page that has more: the cursor after its last hit. */
  public static String next(SearchHit last) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonArray().add(last.rank())
        .add(last.message().createdAt()).add(last.message().id()).encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Why {@code query} cannot be searched, or null: 1 to {@link #MAX_QUERY_CHARS} characters after
   * trimming, with at least one letter or digit (the words searched for; the rest is syntax).
   */
  public static String queryProblem(String query) {
    String q = query == null ? "" : query.strip();
    if (q.isEmpty()) {
      return "query: required";
    }
    if (q.length() > MAX_QUERY_CHARS) {
      return "query: at most " + MAX_QUERY_CHARS + " characters";
    }
    return q.codePoints().anyMatch(Character::isLetterOrDigit) ? null : "query: no words to search for";
  }
}
