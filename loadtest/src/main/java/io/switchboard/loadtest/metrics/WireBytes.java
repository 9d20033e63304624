package io.switchboard.loadtest.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Bytes on the wire between this machine's clients and a server: the TCP payload that the established
 * connections to the server's ports have received and sent, from the kernel's own per-socket counters
 * ({@code ss -ti}: {@code bytes_received}, {@code bytes_acked}). WebSocket framing and any compression
 * are counted as they travel; TCP/IP headers are not. Only the connections to those ports count, so a
 * server's database traffic is left out. A connection that closes takes its counts with it: read
 * around phases whose sockets stay open. Blocking (runs {@code ss}); call it from a worker.
 */
public final class WireBytes {
  private static final Pattern RECEIVED = Pattern.compile("\\bbytes_received:(\\d+)");
  private static final Pattern SENT = Pattern.compile("\\bbytes_acked:(\\d+)");

  /** Bytes the clients have received from the server and sent to it, so far. */
  public record Totals(long received, long sent) {
    public Totals minus(Totals before) {
      return new Totals(received - before.received, sent - before.sent);
    }
  }

  private WireBytes() {}

  /** The totals of the established connections whose remote port is one of {@code ports}. */
  public static Totals read(Collection<Integer> ports) {
    String filter = ports.stream().map(p -> "dport = :" + p).collect(Collectors.joining(" or ", "( ", " )"));
    try {
      Process ss = new ProcessBuilder("ss", "-tinH", "state", "established", filter).redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (!ss.waitFor(30, TimeUnit.SECONDS) || ss.exitValue() != 0) {
        ss.destroyForcibly();
        throw new IllegalStateException("ss failed: " + out.lines().findFirst().orElse(""));
      }
      return parse(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run ss (iproute2): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Totals parse(String ssOutput) {
    return new Totals(sum(RECEIVED, ssOutput), sum(SENT, ssOutput));
  }

  private static long sum(Pattern counter, String text) {
    long total = 0;
    Matcher m = counter.matcher(text);
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }
}
