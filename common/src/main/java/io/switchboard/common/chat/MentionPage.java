package io.switchboard.common.chat;

import java.util.List;

/** A page of a user's mentions, newest first; {@code next} the cursor of the next page, null on the last. */
public record MentionPage(List<Mention> mentions, String next) {
  public MentionPage {
    mentions = mentions == null ? List.of() : List.copyOf(mentions);
  }

  /** A message that mentions the user; {@code unread}: after their read position in its room. */
  public record Mention(ChatMessage message, boolean unread) {}
}
