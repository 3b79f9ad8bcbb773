package io.sluice.samples.workload;

import io.sluice.api.BatchFunction;
import io.sluice.api.DataStreamWriter;
import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Runs a workload's query over the first events of {@link AdEvents}, as fast as the engine can
 * take them, in append mode, then lets the watermark close what it can: when {@link #run}
 * returns, the sink has every window {@link WindowCounts} expects.
 *
 * <p>The events come from the generated source ({@code readStream().generate}), paced by a manual
 * clock instead of the wall clock: each second of it makes one batch's worth of events due, and
 * the clock moves a second as soon as the batch before, and the batch without data that follows
 * it, have run. Each event is made while the batch that reads it runs, so generating it counts in
 * the run's time, as it would for a real source.
 *
 * <pre>{@code
 * WindowCountSink sink = WindowCountSink.counting();
 * WorkloadRunner.run(Sluice.builder(), CampaignCounts::over, 1_000_000, 100_000, sink);
 * }</pre>
 */
public final class WorkloadRunner {
  private WorkloadRunner() {}

  /** A workload's query over the generated events, on the engine that runs it. */
  @FunctionalInterface
  public interface Query {
    Dataset<Row> over(Sluice engine, Dataset<AdEvent> events);
  }

  /**
   * Runs {@code query} over events {@code 0} to {@code events - 1}, in batches of {@code
   * eventsPerBatch} (which must divide {@code events}), on an engine from {@code engine}, whose
   * clock it sets to a manual one; {@code sink} receives each batch's output. Returns the number
   * of batches run, those without data included.
   */
  public static long run(Sluice.Builder engine, Query query, long events, long eventsPerBatch,
      BatchFunction<Row> sink) {
    return run(engine, query, events, eventsPerBatch, sink, null);
  }

  /**
   * As {@link #run(Sluice.Builder, Query, long, long, BatchFunction)}, checkpointing each batch
   * (offsets, commits and versioned state) in {@code checkpoint} when it is not null, as a
   * production query would; the folder must be empty or absent.
   */
  public static long run(Sluice.Builder engine, Query query, long events, long eventsPerBatch,
      BatchFunction<Row> sink, @Nullable Path checkpoint) {
    if (eventsPerBatch <= 0 || events % eventsPerBatch != 0) {
      throw new IllegalArgumentException("batches of " + eventsPerBatch + " events do not divide "
          + events + " events");
    }
    ManualClock clock = new ManualClock(0);
    try (Sluice sluice = engine.clock(clock).build()) {
      Dataset<AdEvent> generated = sluice.readStream().option("rowsPerSecond", eventsPerBatch)
          .generate(AdEvent.class, (i, ts) -> AdEvents.event(i));
      DataStreamWriter<Row> writer = query.over(sluice, generated).writeStream()
          .outputMode(OutputMode.APPEND);
      if (checkpoint != null) {
        writer.option("checkpointLocation", checkpoint.toString());
      }
      StreamingQuery running = writer.foreachBatch(sink).start();
      try {
        // The source fixes its second 0 when first asked, which must be before the clock moves.
        running.processAllAvailable();
        for (long due = 0; due < events; due += eventsPerBatch) {
          clock.advance(Duration.ofSeconds(1));
          running.processAllAvailable();
        }
        StreamingQueryProgress last = running.lastProgress();
        return last == null ? 0 : last.batchId() + 1;
      } finally {
        running.stop();
      }
    }
  }
}
