package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.sessionWindow;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Session windows as Spark defines them: a row opens the session {@code [time, time + gap)};
 * sessions of one key that touch or overlap merge, within a batch and across batches; append
 * mode emits a session once the watermark passes its end. Expected rows are worked out by hand.
 */
class SessionWindowTest {
  private final Sluice engine = Sluice.builder().statePartitions(3).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static TimeWindow s(long startSeconds, long endSeconds) {
    return new TimeWindow(ms(startSeconds), ms(endSeconds));
  }

  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  private QueryTester sessions(OutputMode mode, Column gap) {
    Dataset<Row> sessions = ticks.toDataset().withWatermark("time", "2 seconds")
        .groupBy(sessionWindow(col("time"), gap), col("key")).agg(count("*").as("n"));
    return QueryTester.of(sessions.writeStream().outputMode(mode));
  }

  @Test
  void sessionsMergeWithinAndAcrossBatchesAndCloseBehindTheWatermark() {
    try (QueryTester t = sessions(OutputMode.APPEND, expr("INTERVAL 5 SECONDS"))) {
      // a: [1,6) and [3,8) merge into [1,8); [10,15) is apart. b: [2,7). Watermark after: 8 s.
      ticks.addData(at("a", 1), at("a", 3), at("b", 2), at("a", 10));
      batch(t);
      batch(t, row(s(1, 8), "a", 2L), row(s(2, 7), "b", 1L));
      // [14,19) touches the stored [10,15): [10,19). [22,27) is apart. Watermark after: 20 s.
      ticks.addData(at("a", 14), at("a", 22));
      batch(t);
      batch(t, row(s(10, 19), "a", 2L));
      // [17,22) ends at 22 s, after the previous watermark (20 s): not late, and it touches the
      // stored [22,27). b's [1,6) is late and dropped.
      ticks.addData(at("a", 17), at("b", 1));
      batch(t);
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
          .isEqualTo(1);
      ticks.addData(at("a", 40));
      batch(t);
      batch(t, row(s(17, 27), "a", 2L));
      t.expectNoBatch();
    }
  }

  @Test
  void completeModeKeepsEverySessionButStillDropsLateRows() {
    try (QueryTester t = sessions(OutputMode.COMPLETE, expr("INTERVAL 5 SECONDS"))) {
      ticks.addData(at("a", 1), at("a", 20));
      batch(t, row(s(1, 6), "a", 1L), row(s(20, 25), "a", 1L));
      // Late rows are judged by the previous batch's watermark, still 0: [2, 7) joins [1, 6).
      ticks.addData(at("a", 2), at("a", 24));
      batch(t, row(s(1, 7), "a", 2L), row(s(20, 29), "a", 2L));
      // Now by 18 s: [3, 8) is late, and dropped even in complete mode.
      ticks.addData(at("a", 3));
      batch(t, row(s(1, 7), "a", 2L), row(s(20, 29), "a", 2L));
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
          .isEqualTo(1);
    }
  }

  @Test
  void theGapMayDependOnTheRowAndARowWithoutAPositiveGapIsDropped() {
    Column gap = expr("CASE WHEN key = 'a' THEN '10 seconds'"
        + " WHEN key = 'b' THEN '2 seconds' ELSE '0 seconds' END");
    Dataset<Row> sessions = ticks.toDataset()
        .groupBy(sessionWindow(col("time"), gap), col("key")).agg(count("*").as("n"));
    try (QueryTester t = QueryTester.of(sessions.writeStream().outputMode(OutputMode.COMPLETE))) {
      ticks.addData(at("a", 0), at("a", 9), at("b", 0), at("b", 3), at("c", 0));
      batch(t, row(s(0, 19), "a", 2L), row(s(0, 2), "b", 1L), row(s(3, 5), "b", 1L));
    }
  }

  @Test
  void updateModeIsRefusedAsInSpark() {
    Dataset<Row> sessions = ticks.toDataset()
        .groupBy(sessionWindow(col("time"), "5 seconds"), col("key")).count();
    assertThatThrownBy(() -> sessions.writeStream().outputMode(OutputMode.UPDATE)
        .format("memory").queryName("s").start())
        .hasMessageContaining("update output mode is not supported for session windows");
  }

  @Test
  void aSessionNeedsAnotherGroupingKey() {
    Dataset<Row> sessions = ticks.toDataset()
        .groupBy(sessionWindow(col("time"), "5 seconds")).count();
    assertThatThrownBy(() -> sessions.writeStream().outputMode(OutputMode.COMPLETE)
        .format("memory").queryName("s").start())
        .hasMessageContaining("needs at least one more grouping key");
  }

  @Test
  void theColumnIsNamedSessionWindow() {
    Dataset<Row> sessions = ticks.toDataset()
        .groupBy(sessionWindow(col("time"), "5 seconds"), col("key")).count();
    assertThat(sessions.schema().names()).containsExactly("session_window", "key", "count");
  }
}
