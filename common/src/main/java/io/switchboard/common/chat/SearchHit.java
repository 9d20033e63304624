package io.switchboard.common.chat;

/** One message a search found, with its relevance ({@code rank}: higher is better, comparable within one search). */
public record SearchHit(ChatMessage message, float rank) {}
