package io.switchboard.common.chat;

import java.util.List;

/**
 * Access granted: the room's last seq, the user's unread count, the member count, its delivery mode
 * ({@link Delivery}) and the messages after {@code sinceSeq}.
 */
public record JoinResult(
    String roomId, long lastSeq, long unread, int members, String delivery, List<ChatMessage> missed,
    boolean truncated) {}
