package io.switchboard.common.chat;

/** A message before and after an edit or a delete. */
public record MessageChange(ChatMessage before, ChatMessage after) {}
