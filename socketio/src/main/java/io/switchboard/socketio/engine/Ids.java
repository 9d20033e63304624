package io.switchboard.socketio.engine;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable ids (120 random bits, URL-safe): session ids, socket ids and recovery pids. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  public static String next() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
