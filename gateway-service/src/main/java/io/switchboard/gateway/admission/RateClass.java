package io.switchboard.gateway.admission;

/**
 * Client requests grouped by what they cost; each class has its own rate limit per socket, and
 * {@link #MESSAGES} a shared budget per user too. Which request falls in which class is declared
 * with the request ({@code chat.Requests}); an unknown event counts as {@link #OTHER}.
 */
public enum RateClass {
  MESSAGES, TYPING, JOINS, READS, CALLS, OTHER
}
