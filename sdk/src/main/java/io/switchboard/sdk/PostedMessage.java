package io.switchboard.sdk;

/**
 * A stored message: its id, its place in the room ({@code seq}), when it was stored (ISO-8601), and
 * whether it had been stored already under the same {@code clientMsgId} ({@code duplicate}).
 */
public record PostedMessage(String id, long seq, String createdAt, boolean duplicate) {}
