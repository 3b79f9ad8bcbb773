package io.sluice.benchmarks;

import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether the heap stays flat as state grows: a count per key in update mode, checkpointed, over
 * a rate source whose every row is a new key, so each batch adds {@code keysPerBatch} keys to
 * the state. After each batch it prints the keys held, the heap in use after a full GC, the
 * largest heap the batch used, and the state's off-heap bytes; the last line says:
 *
 * <pre>
 * bench state-growth keys=10000000 heap_after_gc_mb_first=13 heap_after_gc_mb_last=14
 * </pre>
 *
 * <p>Usage: {@code StateGrowthMain [keys] [keysPerBatch]}, defaults {@code 10000000 1000000}.
 * Needs Chronicle Map's JVM flags (see BENCHMARKS.md).
 */
public final class StateGrowthMain {
  private StateGrowthMain() {}

  public static void main(String[] args) throws IOException {
    long keys = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
    long perBatch = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    Path checkpoint = RunReport.freshFolder("state-growth");
    HeapWatch heap = new HeapWatch();
    ManualClock clock = new ManualClock(0);
    long first = -1;
    long last = -1;
    try (Sluice sluice = Sluice.builder().clock(clock)
        .maxKeysPerStatePartition(Math.max(keys, 1_000_000)).build()) {
      StreamingQuery query = sluice.readStream().format("rate")
          .option("rowsPerSecond", perBatch).load()
          .groupBy("value").count()
          .writeStream().outputMode(OutputMode.UPDATE)
          .option("checkpointLocation", checkpoint.toString())
          .foreachBatch((batch, id) -> batch.count())
          .start();
      try {
        query.processAllAvailable();
        System.out.printf("%12s %18s %14s %14s %10s%n", "keys", "heap after GC (MB)",
            "peak heap (MB)", "off heap (MB)", "batch (ms)");
        for (long added = 0; added < keys; added += perBatch) {
          heap.reset();
          long start = System.nanoTime();
          clock.advance(Duration.ofSeconds(1));
          query.processAllAvailable();
          long millis = (System.nanoTime() - start) / 1_000_000;
          StreamingQueryProgress progress = query.lastProgress();
          StateOperatorProgress state = progress.stateOperators().get(0);
          long afterGc = heap.usedAfterGc() >> 20;
          first = first < 0 ? afterGc : first;
          last = afterGc;
          System.out.printf("%,12d %18d %14d %14d %,10d%n", state.numRowsTotal(), afterGc,
              heap.peak() >> 20, state.memoryUsedBytes() >> 20, millis);
        }
      } finally {
        query.stop();
      }
    } finally {
      RunReport.delete(checkpoint);
    }
    System.out.printf("bench state-growth keys=%d heap_after_gc_mb_first=%d"
        + " heap_after_gc_mb_last=%d%n", keys, first, last);
  }
}
