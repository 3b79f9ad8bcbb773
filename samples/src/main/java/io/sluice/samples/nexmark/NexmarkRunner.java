package io.sluice.samples.nexmark;

import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Runs a NEXMark query over the first events of {@link NexmarkGenerator}, as fast as the engine
 * takes them, in the query's output mode, then lets the watermark close what it can: when {@link #run}
 * returns, the sink has every row {@link NexmarkQuery#expected} lists.
 *
 * <p>As {@code WorkloadRunner} does for W1 and W2, the generated streams ({@link
 * NexmarkStreams}) are paced by a manual clock: each second of it makes one batch's events due
 * in all three streams, and the clock moves as soon as the batch before, and any batch without
 * data after it, have run. Events are made while the batch that reads them runs, so making them
 * counts in the run's time.
 *
 * <pre>{@code
 * ResultSink sink = ResultSink.counting(NexmarkQuery.Q8);
 * NexmarkRunner.run(Sluice.builder(), NexmarkQuery.Q8, 1_000_000, 100_000, sink);
 * }</pre>
 */
public final class NexmarkRunner {
  private NexmarkRunner() {}

  /**
   * What a run did: its batches (those without data included), and the wall-clock and process
   * CPU nanoseconds from the first batch with data to the sink holding the answer, which leave
   * out building the engine and starting the query (CPU time is -1 where the JVM cannot tell).
   */
  public record Run(long batches, long processingNanos, long processingCpuNanos) {}

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /**
   * Runs {@code query} over events {@code 0} to {@code events - 1}, in batches of {@code
   * eventsPerBatch} (a multiple of 50 that divides {@code events}), on an engine from {@code
   * engine}, whose clock it sets to a manual one.
   */
  public static Run run(Sluice.Builder engine, NexmarkQuery query, long events,
      long eventsPerBatch, ResultSink sink) {
    if (eventsPerBatch <= 0 || events % eventsPerBatch != 0) {
      throw new IllegalArgumentException("batches of " + eventsPerBatch + " events do not divide "
          + events + " events");
    }
    ManualClock clock = new ManualClock(0);
    try (Sluice sluice = engine.clock(clock).build()) {
      NexmarkStreams streams = NexmarkStreams.of(sluice, eventsPerBatch);
      StreamingQuery running = query.over(streams).writeStream().outputMode(query.outputMode())
          .foreachBatch(sink).start();
      try {
        // The sources fix their second 0 when first asked, which must be before the clock moves.
        running.processAllAvailable();
        long start = System.nanoTime();
        long startCpu = processCpuNanos();
        for (long due = 0; due < events; due += eventsPerBatch) {
          clock.advance(Duration.ofSeconds(1));
          running.processAllAvailable();
        }
        long nanos = System.nanoTime() - start;
        long cpu = startCpu < 0 ? -1 : processCpuNanos() - startCpu;
        StreamingQueryProgress last = running.lastProgress();
        return new Run(last == null ? 0 : last.batchId() + 1, nanos, cpu);
      } finally {
        running.stop();
      }
    }
  }
}
