package io.switchboard.common.chat;

/**
 * The stored message; {@code duplicate} when the client message id had been stored before;
 * {@code slowMode} the room's slow mode in seconds when it applies to the sender (0: it does not, or
 * the message is a duplicate; absent from an older sender: 0), so a gateway knows when the sender's
 * next message may come.
 */
public record PersistResult(ChatMessage message, boolean duplicate, int slowMode) {

  public PersistResult(ChatMessage message, boolean duplicate) {
    this(message, duplicate, 0);
  }
}
