package io.switchboard.loadtest.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU seconds used so far by named process trees (a server JVM, a Postgres postmaster with its
 * backends, a Redis): each name counts its root process and every descendant that is not itself a
 * named root, including the children it has already reaped. Reads {@code /proc}; blocking, so call
 * it from a worker.
 */
public final class ProcessCpu {
  private ProcessCpu() {}

  record Proc(int pid, int ppid, double cpuSeconds) {}

  /** CPU seconds of each named tree now; a root that is gone reads 0. */
  public static Map<String, Double> read(Map<String, Integer> roots) {
    return sum(roots, processes());
  }

  static Map<String, Double> sum(Map<String, Integer> roots, Collection<Proc> processes) {
    Map<Integer, Proc> byPid = new HashMap<>();
    Map<Integer, List<Integer>> children = new HashMap<>();
    for (Proc p : processes) {
      byPid.put(p.pid(), p);
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
    }
    Set<Integer> rootPids = new HashSet<>(roots.values());
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> root : roots.entrySet()) {
      double total = 0;
      Deque<Integer> todo = new ArrayDeque<>(List.of(root.getValue()));
      while (!todo.isEmpty()) {
        int pid = todo.pop();
        Proc p = byPid.get(pid);
        if (p != null) {
          total += p.cpuSeconds();
        }
        for (int child : children.getOrDefault(pid, List.of())) {
          if (!rootPids.contains(child)) {
            todo.push(child);
          }
        }
      }
      out.put(root.getKey(), total);
    }
    return out;
  }

  private static List<Proc> processes() {
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
      for (Path dir : dirs) {
        try {
          out.add(parse(Files.readString(dir.resolve("stat"))));
        } catch (IOException | RuntimeException gone) {
          // The process ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return out;
  }

  private static boolean isPid(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** pid, ppid, and user+system CPU of a {@code /proc/PID/stat} line, with that of its reaped children. */
  static Proc parse(String stat) {
    int close = stat.lastIndexOf(')');
    int pid = Integer.parseInt(stat.substring(0, stat.indexOf(' ')).trim());
    String[] f = stat.substring(close + 2).trim().split("\\s+");
    // After "pid (comm) ": state, ppid, ...; utime, stime, cutime, cstime are fields 14-17 (1-based).
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    return new Proc(pid, Integer.parseInt(f[1]), ticks / ProcStat.TICKS_PER_SECOND);
  }
}
