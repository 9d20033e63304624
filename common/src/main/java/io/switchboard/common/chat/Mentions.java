package io.switchboard.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whom a message mentions (docs/protocol.md, "Mentions"): the members of its room named as
 * {@code @userId}, by user id, and whether it says {@code @room} (every member). Message-service
 * decides them when it stores the message or an edit of it; the sender is never one.
 */
public record Mentions(List<String> users, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean room) {

  public Mentions {
    users = users == null ? List.of() : List.copyOf(users);
  }

  /** Whether {@code userId}, a member of the message's room who did not send it, is mentioned. */
  public boolean mentions(String userId) {
    return room || users.contains(userId);
  }

  /** The stored form ({@code messages.mentions}, V20); null for none. */
  public static Mentions fromStored(Object stored) {
    if (!(stored instanceof JsonObject json)) {
      return null;
    }
    List<String> users = json.getJsonArray("users") == null ? List.of()
        : json.getJsonArray("users").stream().map(String.class::cast).toList();
    return new Mentions(users, json.getBoolean("room", false));
  }
}
