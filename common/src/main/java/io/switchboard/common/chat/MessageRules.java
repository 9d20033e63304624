package io.switchboard.common.chat;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.regex.Pattern;

/** The shape rules of PROTOCOL.md section 3, shared by every entry point that accepts a message. */
public final class MessageRules {
  public static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9:_-]{1,128}");
  public static final int MAX_ROOM_NAME = 200;

  private MessageRules() {}

  public static boolean validRoomId(String roomId) {
    return roomId != null && ROOM_ID.matcher(roomId).matches();
  }

  public static boolean validUuid(String value) {
    if (value == null || value.length() != 36) {
      return false;
    }
    try {
      UUID.fromString(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The body as stored: trimmed; valid when 1 to {@code maxChars} characters long. */
  public static String normalizeBody(String body) {
    return body == null ? null : body.strip();
  }

  public static boolean validBody(String normalized, int maxChars) {
    return normalized != null && !normalized.isEmpty() && normalized.codePointCount(0, normalized.length()) <= maxChars;
  }

  /** Whether a message's {@code meta} fits {@code maxBytes} as JSON (UTF-8), the size it is stored and sent at. */
  public static boolean metaFits(JsonObject meta, int maxBytes) {
    return meta.toBuffer().length() <= maxBytes;
  }
}
