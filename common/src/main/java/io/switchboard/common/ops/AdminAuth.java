package io.switchboard.common.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin bearer token check, in constant time. An empty configured token allows nobody: admin
 * endpoints are off until an operator sets one.
 */
public final class AdminAuth {
  private final byte[] token;

  public AdminAuth(String token) {
    this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
  }

  /** The bearer token of an {@code Authorization} header, or null. */
  public static String bearer(String header) {
    return header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).trim() : null;
  }

  public boolean allows(String presented) {
    return token.length > 0 && presented != null
        && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
  }
}
