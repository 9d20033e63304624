package io.switchboard.common.chat;

import java.util.List;

/** Messages in ascending seq; {@code hasMore} when more exist in the paging direction. */
public record HistoryPage(List<ChatMessage> messages, boolean hasMore) {}
