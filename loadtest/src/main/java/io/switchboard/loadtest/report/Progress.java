package io.switchboard.loadtest.report;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live progress line, once per second: phase, connections, the busiest rates, p99 of the main
 * latencies, CPU. On a terminal it rewrites one line; otherwise (a log file) it prints one per second.
 */
public final class Progress {
  private static final List<String> RATES = List.of("connects", "sent", "delivered", "acked", "cycles");
  private static final List<String> LATENCIES = List.of("connect", "join", "delivery", "ack", "cycle");

  private final PrintStream out;
  private final boolean terminal;
  private int lastLength;

  public Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  public void show(JsonObject point) {
    String line = line(point);
    if (terminal) {
      String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
      out.print("\r" + padded);
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the rewritten line so that what follows starts on its own. */
  public void finish() {
    if (terminal && lastLength > 0) {
      out.println();
    }
  }

  static String line(JsonObject p) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%5.0fs] %s | conns %d", p.getDouble("t"),
        p.getString("phase", ""), p.getInteger("connections", 0)));
    JsonObject rates = p.getJsonObject("rates", new JsonObject());
    for (String k : RATES) {
      Object v = rates.getValue(k);
      if (v instanceof Number n && n.longValue() > 0) {
        sb.append(' ').append(k).append(' ').append(n.longValue()).append("/s");
      }
    }
    for (Map.Entry<String, Object> e : rates) {
      if ((e.getKey().startsWith("connectFailed") || e.getKey().endsWith("Failed") || e.getKey().equals("drops"))
          && ((Number) e.getValue()).longValue() > 0) {
        sb.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append("/s");
      }
    }
    JsonObject lat = p.getJsonObject("latency", new JsonObject());
    String sep = " |";
    for (String k : LATENCIES) {
      JsonObject l = lat.getJsonObject(k);
      if (l != null) {
        sb.append(sep).append(String.format(Locale.ROOT, " %s p50 %.1f p99 %.1f ms", k, l.getDouble("p50"),
            l.getDouble("p99")));
        sep = ",";
      }
    }
    if (p.getValue("serverCpu") != null || p.getValue("machineCpu") != null) {
      sb.append(" | cpu");
      if (p.getValue("serverCpu") != null) {
        sb.append(" server ").append(p.getValue("serverCpu")).append('%');
      }
      if (p.getValue("generatorCpu") != null) {
        sb.append(" gen ").append(p.getValue("generatorCpu")).append('%');
      }
      if (p.getValue("machineCpu") != null) {
        sb.append(" box ").append(p.getValue("machineCpu")).append('%');
      }
    }
    return sb.toString();
  }
}
