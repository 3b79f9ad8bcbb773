package io.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What one whole run of a workload took: wall-clock time, the process's CPU time, events per
 * second of each, and how much of the CPU other processes took meanwhile, printed as one line
 * after the run. The events per CPU-second are the per-core figure WORKLOADS.md asks for.
 */
final class RunReport {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final String workload;
  private final OtherLoad others = new OtherLoad();
  private long startNanos;
  private long startCpuNanos;
  private long rows;
  private long sumOfCounts;
  private double eventsPerSecond;

  RunReport(String workload) {
    this.workload = workload;
  }

  void start() {
    others.start();
    startCpuNanos = OS.getProcessCpuTime();
    startNanos = System.nanoTime();
  }

  /** What the run wrote: windows and the sum of their counts. */
  void output(long rows, long sumOfCounts) {
    this.rows = rows;
    this.sumOfCounts = sumOfCounts;
  }

  /** Prints the run's line; returns its events per second of wall-clock time. */
  double print(long events) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double cpuSeconds = (OS.getProcessCpuTime() - startCpuNanos) / 1e9;
    eventsPerSecond = events / seconds;
    System.out.printf("%n%s: %,d events in %.2f s: %.2fM events/s, %.2fM events per CPU-second"
        + " (%.2f CPU-s); %,d windows, %,d views; other processes %d%% of the CPU%n", workload,
        events, seconds, eventsPerSecond / 1e6, events / cpuSeconds / 1e6, cpuSeconds, rows,
        sumOfCounts, others.percent());
    return eventsPerSecond;
  }

  /** A new empty folder for one run's checkpoint. */
  static Path freshFolder(String prefix) throws IOException {
    return Files.createTempDirectory(prefix);
  }

  /** Deletes {@code folder} and everything in it; nothing for null. */
  static void delete(@Nullable Path folder) {
    if (folder == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
