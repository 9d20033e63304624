package io.switchboard.loadtest.metrics;

/** Parsing of the few {@code /proc} lines the probes read (Linux only). */
public final class ProcStat {
  /** Clock ticks per second of {@code /proc/PID/stat} times; 100 on every common Linux build. */
  static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {}

  /** VmRSS of a {@code /proc/PID/status} text, in bytes, or -1. */
  public static long rssBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return -1;
  }

  /** User plus system CPU seconds of a {@code /proc/PID/stat} line. */
  public static double cpuSeconds(String stat) {
    int close = stat.lastIndexOf(')');
    String[] f = stat.substring(close + 2).trim().split("\\s+");
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based).
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /** Busy and total jiffies of the first ("cpu") line of {@code /proc/stat}. */
  public static long[] machineJiffies(String procStat) {
    String first = procStat.substring(0, procStat.indexOf('\n'));
    String[] f = first.trim().split("\\s+");
    long total = 0;
    long idle = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) {
        idle += v;
      }
    }
    return new long[] {total - idle, total};
  }

  /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} in a Prometheus text scrape, or -1. */
  public static long prometheusHeapUsed(String scrape) {
    long sum = -1;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        String value = line.substring(line.lastIndexOf(' ') + 1).trim();
        sum = Math.max(sum, 0) + (long) Double.parseDouble(value);
      }
    }
    return sum;
  }
}
