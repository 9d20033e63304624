package io.switchboard.gateway.chat;

/**
 * How a socket receives the messages other members send into a room (docs/protocol.md,
 * "Receiving"): {@code optimistic}, the copy at once and its confirmation when durable, or
 * {@code durable}, the stored message once. Chosen at CONNECT ({@code auth.receive}) for every room,
 * or at {@code join-room} for one.
 */
enum Receive {
  OPTIMISTIC, DURABLE;

  /** {@code wire} ("optimistic" or "durable"), or {@code otherwise} when absent or anything else. */
  static Receive of(Object wire, Receive otherwise) {
    if ("durable".equals(wire)) {
      return DURABLE;
    }
    return "optimistic".equals(wire) ? OPTIMISTIC : otherwise;
  }
}
