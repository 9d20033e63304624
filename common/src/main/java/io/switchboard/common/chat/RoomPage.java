package io.switchboard.common.chat;

import java.util.List;

/** A page of rooms; {@code more}: a next page exists, after the last room of this one. */
public record RoomPage(List<RoomSummary> rooms, boolean more) {

  public RoomPage {
    rooms = rooms == null ? List.of() : List.copyOf(rooms);
  }
}
