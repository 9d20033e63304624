package io.switchboard.common.config;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Resolved configuration: one string per {@link ConfigKey}, with typed accessors that fail with a
 * message naming the key. Immutable; {@link #with} returns a copy.
 */
public final class Config {
  private final Map<ConfigKey, String> values;

  Config(Map<ConfigKey, String> values) {
    this.values = new EnumMap<>(values);
  }

  /** Defaults only. */
  public static Config defaults() {
    Map<ConfigKey, String> map = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      map.put(key, key.defaultValue());
    }
    return new Config(map);
  }

  public Config with(ConfigKey key, Object value) {
    Map<ConfigKey, String> copy = new EnumMap<>(values);
    copy.put(key, String.valueOf(value));
    return new Config(copy);
  }

  public String string(ConfigKey key) {
    return values.getOrDefault(key, key.defaultValue());
  }

  public boolean isSet(ConfigKey key) {
    return !string(key).isBlank();
  }

  public int integer(ConfigKey key) {
    return (int) longValue(key);
  }

  public long longValue(ConfigKey key) {
    String raw = string(key).trim();
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "config: " + key.env() + " (" + key.path() + ") must be a number, got '" + raw + "'");
    }
  }

  public boolean bool(ConfigKey key) {
    String raw = string(key).trim().toLowerCase();
    return switch (raw) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0", "" -> false;
      default -> throw new IllegalArgumentException(
          "config: " + key.env() + " (" + key.path() + ") must be true or false, got '" + raw + "'");
    };
  }

  public List<String> list(ConfigKey key) {
    return Arrays.stream(string(key).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
