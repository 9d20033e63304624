package io.switchboard.sdk;

import java.util.Objects;

/** Whom a published event reaches: the sockets joined to a room, every device of a user, or everyone. */
public sealed interface Target {
  /** The sockets joined to room {@code roomId}. */
  record Room(String roomId) implements Target {
    public Room {
      Objects.requireNonNull(roomId, "roomId");
    }
  }

  /** Every connected device of user {@code userId} of {@code tenant} (null: the default tenant). */
  record User(String tenant, String userId) implements Target {
    public User {
      Objects.requireNonNull(userId, "userId");
    }
  }

  /** Every connected socket. */
  record All() implements Target {}

  static Target room(String roomId) {
    return new Room(roomId);
  }

  static Target user(String tenant, String userId) {
    return new User(tenant, userId);
  }

  static Target all() {
    return new All();
  }
}
