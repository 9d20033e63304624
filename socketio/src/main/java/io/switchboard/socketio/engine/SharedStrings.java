package io.switchboard.socketio.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each of the short strings that sessions repeat (header names and values such as
 * Host, User-Agent or Origin, query parameters, remote addresses): each session keeps its handshake
 * for its whole life, and a copy of the same few strings in every one of them was a few hundred
 * bytes per idle connection. Thread-safe.
 *
 * <p>Bounded: strings longer than {@link #MAX_LENGTH} are not shared, and when the table holds
 * {@link #MAX_ENTRIES} it starts over. Values unique to one client (cookies, cache busters) thus
 * cannot grow it past a fixed size; the common ones are shared again from the next handshake on.
 */
final class SharedStrings {
  static final int MAX_ENTRIES = 4096;
  static final int MAX_LENGTH = 256;

  private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();

  /** The shared instance equal to {@code s} (null for null). */
  String of(String s) {
    if (s == null || s.length() > MAX_LENGTH) {
      return s;
    }
    String shared = strings.get(s);
    if (shared != null) {
      return shared;
    }
    if (strings.size() >= MAX_ENTRIES) {
      strings.clear();
    }
    shared = strings.putIfAbsent(s, s);
    return shared != null ? shared : s;
  }

  int size() {
    return strings.size();
  }
}
