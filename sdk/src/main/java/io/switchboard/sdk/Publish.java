package io.switchboard.sdk;

import java.util.Objects;

/**
 * An event for connected clients: {@code event} (1 to 64 of {@code A-Za-z0-9:_.-}) with {@code data}
 * (anything Jackson writes as JSON: a map, a record, a string, null). Not stored: clients connected
 * now receive it, nobody later.
 */
public record Publish(Target target, String event, Object data) {
  public Publish {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(event, "event");
  }
}
