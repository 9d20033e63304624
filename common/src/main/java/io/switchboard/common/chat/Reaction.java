package io.switchboard.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One kind of reaction on a message (docs/protocol.md, "Reactions"): its emoji, how many reacted with
 * it, the first of them (at most 10) and, for a reader, whether they are one ({@code me}, null in events
 * to the whole room).
 */
public record Reaction(String emoji, int count, List<String> users, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean me) {
  public Reaction {
    users = users == null ? List.of() : List.copyOf(users);
  }

  /** Longest emoji, in code points: room for sequences (joiners, skin tones, flags) and short codes. */
  public static final int MAX_EMOJI_CODE_POINTS = 32;

  /**
   * Why {@code emoji} is not one a user may react with (docs/protocol.md, "Reactions"), or null: 1 to
   * 32 code points, none of them a space or a control character. Not a check of emoji-ness (a short
   * code such as {@code :shipit:} is one too), but it keeps blanks and invisible text out.
   */
  public static String emojiProblem(String emoji) {
    if (emoji == null || emoji.isEmpty()) {
      return "emoji: required";
    }
    if (emoji.codePointCount(0, emoji.length()) > MAX_EMOJI_CODE_POINTS) {
      return "emoji: at most " + MAX_EMOJI_CODE_POINTS + " characters";
    }
    boolean bad = emoji.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
        || Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE);
    return bad ? "emoji: no spaces or control characters" : null;
  }

  /** This reaction as the whole room sees it: no reader's {@code me}. */
  public Reaction forRoom() {
    return me == null ? this : new Reaction(emoji, count, users, null);
  }
}
