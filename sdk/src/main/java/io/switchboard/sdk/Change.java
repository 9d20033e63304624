package io.switchboard.sdk;

import java.util.OptionalLong;

/**
 * The outcome of a change of a room: the seq of the event announcing it, or empty when nothing
 * changed (the user was banned already, the name was the same).
 */
public record Change(OptionalLong seq) {
  public boolean changed() {
    return seq.isPresent();
  }
}
