package io.sluice.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy other processes kept the machine during a measurement, as a share of all its cores:
 * a figure taken while something else ran is not the benchmark's alone. Linux only (it reads
 * {@code /proc}); elsewhere the share is unknown.
 */
final class OtherLoad {
  private long busy;
  private long total;
  private long own;

  /** Starts a stretch of time. */
  void start() {
    long[] now = sample();
    busy = now[0];
    total = now[1];
    own = now[2];
  }

  /** Percent of all cores' time that other processes used since {@link #start}; -1 if unknown. */
  long percent() {
    long[] now = sample();
    long elapsed = now[1] - total;
    if (now[1] < 0 || total < 0 || elapsed <= 0) {
      return -1;
    }
    long others = (now[0] - busy) - (now[2] - own);
    return Math.max(0, Math.round(100.0 * others / elapsed));
  }

  /** Busy and total ticks of all cores, and this process's ticks; -1s if unreadable. */
  private static long[] sample() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      long all = 0;
      for (int i = 1; i <= 8; i++) {
        all += Long.parseLong(cpu[i]);
      }
      String self = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
      long mine = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return new long[] {all - idle, all, mine};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1, -1};
    }
  }
}
