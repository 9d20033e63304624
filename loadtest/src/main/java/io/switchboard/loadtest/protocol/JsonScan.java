package io.switchboard.loadtest.protocol;

/**
 * Reading a few values out of raw JSON text without parsing it: enough for the hot path, where the
 * generator knows the exact shape it sent (keys it chose, numbers without exponents).
 */
public final class JsonScan {
  private JsonScan() {}

  /**
   * The integer after the first {@code "key":} in {@code json} at or after {@code from}, or
   * {@code missing} when the key is absent or not followed by an integer.
   */
  public static long longAfter(String json, String quotedKeyColon, int from, long missing) {
    int at = json.indexOf(quotedKeyColon, from);
    if (at < 0) {
      return missing;
    }
    int i = at + quotedKeyColon.length();
    int n = json.length();
    while (i < n && json.charAt(i) == ' ') {
      i++;
    }
    boolean negative = i < n && json.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long value = 0;
    while (i < n) {
      char c = json.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
      i++;
    }
    if (i == start) {
      return missing;
    }
    return negative ? -value : value;
  }

  /**
   * Reads the JSON string whose opening quote is at {@code quote}; returns it unescaped and stores
   * the index after the closing quote in {@code end[0]}, or returns null if it is unterminated.
   */
  public static String readString(String json, int quote, int[] end) {
    StringBuilder sb = null;
    int n = json.length();
    int i = quote + 1;
    int runStart = i;
    while (i < n) {
      char c = json.charAt(i);
      if (c == '"') {
        end[0] = i + 1;
        return sb == null ? json.substring(runStart, i) : sb.append(json, runStart, i).toString();
      }
      if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(json, runStart, i);
        char e = json.charAt(i + 1);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 6 > n) {
              return null;
            }
            sb.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
        i += 2;
        runStart = i;
      } else {
        i++;
      }
    }
    return null;
  }

  /** Appends {@code s} with JSON string escaping (without the surrounding quotes). */
  public static void appendEscaped(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
  }

  /** {@code s} as a quoted JSON string. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    appendEscaped(sb, s);
    return sb.append('"').toString();
  }
}
