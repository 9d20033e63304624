package io.switchboard.common.chat;

import java.util.regex.Pattern;

/**
 * What a tenant id and a user id may be. Socket rooms and presence keys are built as
 * {@code <kind>:<tenant>:<user>}; a tenant never contains {@code :}, so the first colon after the
 * tenant ends it and no two (tenant, user) pairs share a key, whatever the user id holds.
 *
 * <ul>
 *   <li>tenant: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit;
 *   <li>user id ({@code sub}): 1 to 128 visible ASCII characters ({@code !} to {@code ~}): no
 *       spaces, no control characters, so e-mail addresses, UUIDs and {@code auth0|123} pass.
 * </ul>
 */
public final class Identities {
  public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  public static final Pattern USER_ID = Pattern.compile("[!-~]{1,128}");

  private Identities() {}

  /** Null when {@code tenant} is a valid tenant id, else what is wrong with it. */
  public static String tenantProblem(String tenant) {
    return tenant != null && TENANT.matcher(tenant).matches() ? null
        : "tenant must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit";
  }

  /** Null when {@code userId} is a valid user id, else what is wrong with it. */
  public static String userIdProblem(String userId) {
    return userId != null && USER_ID.matcher(userId).matches() ? null
        : "user id must be 1-128 visible ASCII characters (no spaces)";
  }
}
