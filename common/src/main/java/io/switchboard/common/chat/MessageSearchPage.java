package io.switchboard.common.chat;

import java.util.List;

/** A page of a message search, best first; {@code next} the cursor of the next page, null on the last. */
public record MessageSearchPage(List<SearchHit> hits, String next) {
  public MessageSearchPage {
    hits = hits == null ? List.of() : List.copyOf(hits);
  }
}
