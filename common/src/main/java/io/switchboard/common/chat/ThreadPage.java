package io.switchboard.common.chat;

import java.util.List;

/** The root of a thread and a page of its replies, ascending seq; {@code hasMore} as {@link HistoryPage}'s. */
public record ThreadPage(ChatMessage root, List<ChatMessage> messages, boolean hasMore) {
  public ThreadPage {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
