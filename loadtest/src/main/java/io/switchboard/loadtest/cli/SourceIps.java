package io.switchboard.loadtest.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses source-address lists: {@code 127.0.0.1-127.0.0.8}, {@code 127.0.0.1-8}, or comma separated
 * addresses and ranges. Ranges vary the last octet only (enough for 127.0.0.x).
 */
final class SourceIps {
  private static final int MAX = 256;

  private SourceIps() {}

  static List<String> parse(String spec) {
    List<String> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      if (dash < 0) {
        out.add(p);
        continue;
      }
      String from = p.substring(0, dash).trim();
      String to = p.substring(dash + 1).trim();
      int lastDot = from.lastIndexOf('.');
      if (lastDot < 0) {
        throw new IllegalArgumentException("--source-ips: not an IPv4 range: " + p);
      }
      String base = from.substring(0, lastDot + 1);
      int start = Integer.parseInt(from.substring(lastDot + 1));
      int end = to.contains(".") ? rangeEnd(base, to, p) : Integer.parseInt(to);
      if (end < start || end > 255) {
        throw new IllegalArgumentException("--source-ips: bad range " + p);
      }
      for (int i = start; i <= end; i++) {
        out.add(base + i);
      }
    }
    if (out.size() > MAX) {
      throw new IllegalArgumentException("--source-ips: at most " + MAX + " addresses");
    }
    return out;
  }

  private static int rangeEnd(String base, String to, String part) {
    int lastDot = to.lastIndexOf('.');
    if (!to.substring(0, lastDot + 1).equals(base)) {
      throw new IllegalArgumentException("--source-ips: a range may vary the last octet only: " + part);
    }
    return Integer.parseInt(to.substring(lastDot + 1));
  }

  /** {@code 3000/s}, {@code 3000} or {@code 0} (no limit) as a number per second. */
  static double rate(String spec) {
    String s = spec.trim().toLowerCase();
    if (s.endsWith("/s")) {
      s = s.substring(0, s.length() - 2);
    }
    return Double.parseDouble(s);
  }
}
