package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watermark survives a restart from a checkpoint: a restarted query, and one that re-runs a
 * batch that never committed, goes on with the watermarks the batches before the crash ran with,
 * never lower, so that a key the watermark evicted stays late.
 */
class EventTimeRestartTest {
  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @TempDir
  Path checkpoint;

  @AfterEach
  void close() {
    engine.close();
  }

  private QueryTester deduplication() {
    return restartable(ticks.toDataset().withWatermark("time", "5 seconds")
        .dropDuplicates("key", "time"));
  }

  private QueryTester tenSecondCounts() {
    return restartable(ticks.toDataset().withWatermark("time", "5 seconds")
        .groupBy(window(col("time"), "10 seconds"), col("key")).agg(count("*").as("n")));
  }

  private QueryTester restartable(Dataset<?> query) {
    return QueryTester.of(query.writeStream().outputMode(OutputMode.APPEND)
        .option("checkpointLocation", checkpoint.toString()));
  }

  /** What a crash after batch {@code batchId} saved its state, before its commit, leaves. */
  private void uncommit(long batchId) throws Exception {
    Files.delete(checkpoint.resolve("commits").resolve(Long.toString(batchId)));
  }

  private static TimeWindow w(long startSeconds, long endSeconds) {
    return new TimeWindow(ms(startSeconds), ms(endSeconds));
  }

  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  private static String watermark(QueryTester tester) {
    return tester.lastProgress().eventTime().get("watermark");
  }

  @Test
  void aBatchWithoutDataRerunAfterACrashKeepsTheWatermarkForTheBatchesAfterIt()
      throws Exception {
    try (QueryTester t = deduplication()) {
      ticks.addData(at("a", 1), at("b", 20));
      batch(t, row("a", ms(1), 1L), row("b", ms(20), 1L));
      // No data, watermark 15 s: (a, 1 s) is evicted.
      batch(t);
    }
    uncommit(1);
    try (QueryTester t = deduplication()) {
      batch(t);
      assertThat(watermark(t)).isEqualTo("2024-01-01T00:00:15.000Z");
      ticks.addData(at("c", 21));
      batch(t, row("c", ms(21), 1L));
      assertThat(watermark(t)).isEqualTo("2024-01-01T00:00:15.000Z");
      // (a, 1 s) left the state at 15 s: it is late, not new.
      ticks.addData(at("a", 1));
      batch(t);
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
          .isEqualTo(1);
    }
  }

  @Test
  void aWindowClosedByABatchRerunAfterACrashStaysClosed() throws Exception {
    try (QueryTester t = tenSecondCounts()) {
      ticks.addData(at("a", 1), at("a", 20));
      batch(t);
      // No data, watermark 15 s: [0, 10) closes.
      batch(t, row(w(0, 10), "a", 1L));
    }
    uncommit(1);
    try (QueryTester t = tenSecondCounts()) {
      batch(t, row(w(0, 10), "a", 1L));
      ticks.addData(at("a", 21));
      batch(t);
      // 2 s falls in [0, 10), closed at 15 s: late, not a new [0, 10) emitted a second time.
      ticks.addData(at("a", 2));
      batch(t);
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
          .isEqualTo(1);
    }
  }
}
