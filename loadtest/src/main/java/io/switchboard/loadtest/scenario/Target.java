package io.switchboard.loadtest.scenario;

/**
 * Which server is under load; it decides how rooms come to exist. Switchboard rooms are created with
 * {@code create-room} (kind {@code public}) and joined by the id the server assigns; the Node reference
 * server creates a room on the first {@code join-room} of any id.
 */
public enum Target {
  SWITCHBOARD,
  REFERENCE;

  public static Target parse(String s) {
    return switch (s.trim().toLowerCase()) {
      case "switchboard" -> SWITCHBOARD;
      case "reference", "node" -> REFERENCE;
      default -> throw new IllegalArgumentException("--target must be switchboard or reference, got '" + s + "'");
    };
  }
}
