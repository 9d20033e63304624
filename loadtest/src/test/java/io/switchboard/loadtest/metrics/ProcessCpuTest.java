package io.switchboard.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.loadtest.metrics.ProcessCpu.Proc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CPU of named process trees")
class ProcessCpuTest {

  @Test
  @DisplayName("pid, parent and CPU with that of reaped children, even with spaces and parentheses in the name")
  void parse() {
    Proc p = ProcessCpu.parse("4242 (post (gres) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 30 0 100");
    assertEquals(4242, p.pid());
    assertEquals(17, p.ppid());
    assertEquals(3.5, p.cpuSeconds(), 1e-9);
  }

  @Test
  @DisplayName("a tree counts its descendants, but not another named tree inside it")
  void trees() {
    // A JVM (10) with an embedded Redis (11) and a helper thread process (12); a postmaster (20) with backends.
    List<Proc> procs = List.of(new Proc(10, 1, 5.0), new Proc(11, 10, 1.0), new Proc(12, 10, 0.5),
        new Proc(20, 1, 0.2), new Proc(21, 20, 2.0), new Proc(22, 21, 0.3), new Proc(30, 1, 9.0));
    Map<String, Integer> roots = new LinkedHashMap<>();
    roots.put("switchboard", 10);
    roots.put("redis", 11);
    roots.put("postgres", 20);
    roots.put("gone", 99);
    Map<String, Double> cpu = ProcessCpu.sum(roots, procs);
    assertEquals(5.5, cpu.get("switchboard"), 1e-9);
    assertEquals(1.0, cpu.get("redis"), 1e-9);
    assertEquals(2.5, cpu.get("postgres"), 1e-9);
    assertEquals(0.0, cpu.get("gone"), 1e-9);
  }

  @Test
  @DisplayName("this JVM's own tree uses CPU")
  void self() {
    int pid = (int) ProcessHandle.current().pid();
    long spin = 0;
    for (long i = 0; i < 200_000_000L; i++) {
      spin += i ^ (spin >>> 3);
    }
    assertTrue(ProcessCpu.read(Map.of("self", pid)).get("self") > 0, "spun " + spin);
  }
}
