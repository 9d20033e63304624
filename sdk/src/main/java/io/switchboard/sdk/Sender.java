package io.switchboard.sdk;

import java.util.Objects;

/** A user a service posts as; {@code name} is shown with the message (null: the user id). */
public record Sender(String userId, String name) {
  public Sender {
    Objects.requireNonNull(userId, "userId");
  }
}
