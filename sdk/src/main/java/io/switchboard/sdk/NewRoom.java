package io.switchboard.sdk;

import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.RoomKind;
import java.util.List;
import java.util.Objects;

/**
 * A room to create: a name of 1 to 200 characters, its kind, the other members (a direct room has
 * exactly one), and how it delivers messages ({@code OPTIMISTIC} unless said otherwise).
 */
public record NewRoom(String name, RoomKind kind, List<String> members, Delivery delivery) {
  public NewRoom {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    members = members == null ? List.of() : List.copyOf(members);
    delivery = delivery == null ? Delivery.OPTIMISTIC : delivery;
  }

  public static NewRoom group(String name, List<String> members) {
    return new NewRoom(name, RoomKind.GROUP, members, null);
  }

  public static NewRoom publicRoom(String name) {
    return new NewRoom(name, RoomKind.PUBLIC, List.of(), null);
  }

  /** A direct room with {@code otherUser}: created once, asking again answers the same room. */
  public static NewRoom direct(String name, String otherUser) {
    return new NewRoom(name, RoomKind.DIRECT, List.of(otherUser), null);
  }
}
