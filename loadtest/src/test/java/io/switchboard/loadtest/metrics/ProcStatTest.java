package io.switchboard.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading /proc and Prometheus text")
class ProcStatTest {

  @Test
  @DisplayName("VmRSS in bytes")
  void rss() {
    assertEquals(123456L * 1024, ProcStat.rssBytes("Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  123456 kB\nThreads: 3\n"));
    assertEquals(-1, ProcStat.rssBytes("Name:\tx\n"));
  }

  @Test
  @DisplayName("user plus system CPU seconds, even with spaces in the command name")
  void cpu() {
    String stat = "4242 (my server) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 100 0 0";
    assertEquals(3.0, ProcStat.cpuSeconds(stat), 1e-9);
  }

  @Test
  @DisplayName("busy and total jiffies of the machine")
  void machine() {
    assertArrayEquals(new long[] {60, 160}, ProcStat.machineJiffies("cpu  10 20 30 90 10 0 0 0 0 0\ncpu0 1 2 3 4\n"));
  }

  @Test
  @DisplayName("the JVM heap in use, summed over heap pools")
  void heap() {
    String scrape = "# HELP jvm_memory_used_bytes x\n"
        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1000.0\n"
        + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5000.0\n"
        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.5E3\n";
    assertEquals(3500, ProcStat.prometheusHeapUsed(scrape));
    assertEquals(-1, ProcStat.prometheusHeapUsed("up 1\n"));
  }
}
