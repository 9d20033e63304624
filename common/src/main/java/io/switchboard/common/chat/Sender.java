package io.switchboard.common.chat;

/** Who acts: an authenticated user of a tenant. The system posts as user {@code system}. */
public record Sender(String tenant, String userId, String name) {
  public static final String SYSTEM_ID = "system";
}
