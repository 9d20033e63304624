package io.switchboard.common.chat;

/** A message's thread (docs/protocol.md, "Threads"): how many replies, the last one's seq and time (ISO-8601). */
public record ThreadSummary(long replies, long lastReplySeq, String lastReplyAt) {}
