package io.switchboard.common.chat;

import java.util.List;

/** Access granted: the room's last seq, the member count, and the messages after {@code sinceSeq}. */
public record JoinResult(
    String roomId, long lastSeq, long unread, int members, List<ChatMessage> missed, boolean truncated) {}
