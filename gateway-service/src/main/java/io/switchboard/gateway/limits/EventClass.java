package io.switchboard.gateway.limits;

import java.util.Map;

/** Client events grouped by what they cost; each class has its own rate limit. */
public enum EventClass {
  MESSAGES, TYPING, JOINS, READS, OTHER;

  private static final Map<String, EventClass> BY_EVENT = Map.ofEntries(
      Map.entry("send-message", MESSAGES),
      Map.entry("edit-message", MESSAGES),
      Map.entry("delete-message", MESSAGES),
      Map.entry("typing", TYPING),
      Map.entry("join-room", JOINS),
      Map.entry("leave-room", JOINS),
      Map.entry("create-room", JOINS),
      Map.entry("fetch-history", READS),
      Map.entry("mark-read", READS),
      Map.entry("get-presence", READS));

  public static EventClass of(String event) {
    return BY_EVENT.getOrDefault(event, OTHER);
  }
}
