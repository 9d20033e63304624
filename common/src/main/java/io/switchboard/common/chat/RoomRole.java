package io.switchboard.common.chat;

import java.util.Arrays;
import java.util.Optional;

/**
 * A member's role in a room (docs/protocol.md, "Membership and roles"). Exactly one owner per room;
 * admins add and remove members and moderate messages; members talk. Ordered from the most rights.
 */
public enum RoomRole {
  OWNER("owner"),
  ADMIN("admin"),
  MEMBER("member");

  private final String wire;

  RoomRole(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Owners and admins manage the members. */
  public boolean manages() {
    return this != MEMBER;
  }

  public static Optional<RoomRole> fromWire(String value) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(value)).findFirst();
  }
}
