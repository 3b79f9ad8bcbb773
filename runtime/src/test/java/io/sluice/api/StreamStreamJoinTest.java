package io.sluice.api;

import static io.sluice.api.ApiTestSupport.batch;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two streams joined, as Spark's stream-stream joins: a batch's left rows meet the right rows of
 * earlier batches, its right rows every left row, so that each pair comes out once; the
 * watermark drops late rows and lets stored rows go once nothing can match them. Expected rows
 * are worked out by hand per batch; rows are (left value, right value).
 */
class StreamStreamJoinTest {
  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Tick> left = engine.memoryStream(Tick.class);
  private final MemoryStream<Tick> right = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static Tick tick(String key, long seconds, long value) {
    return new Tick(key, Tick.T0.plusSeconds(seconds), value);
  }

  private static StateOperatorProgress state(QueryTester t) {
    return t.lastProgress().stateOperators().get(0);
  }

  private QueryTester tester(Dataset<Row> joined) {
    return QueryTester.of(joined.select("l.value", "r.value").writeStream()
        .outputMode(OutputMode.APPEND));
  }

  @Test
  void eachPairComesOutOnceWhicheverSideArrivesFirst() {
    Dataset<Row> joined = left.toDataset().alias("l").join(right.toDataset().alias("r"),
        expr("l.key = r.key"));
    try (QueryTester t = tester(joined)) {
      left.addData(tick("a", 1, 1));
      batch(t); // nothing on the right yet: a's left row is kept
      right.addData(tick("a", 2, 2), tick("b", 2, 3));
      batch(t, row(1L, 2L));
      left.addData(tick("a", 3, 4));
      right.addData(tick("a", 3, 5));
      // The new left row meets the stored right row; the new right row meets both left rows.
      batch(t, row(4L, 2L), row(1L, 5L), row(4L, 5L));
      assertThat(state(t).operatorName()).isEqualTo("symmetricHashJoin");
      assertThat(state(t).numRowsUpdated()).isEqualTo(2);
      assertThat(state(t).numRowsTotal()).isEqualTo(5); // rows, not keys, as Spark counts
    }
  }

  @Test
  void aTimeRangeConditionLetsStoredRowsGoAndTheWatermarkDropsLateOnes() {
    Dataset<Row> joined = left.toDataset().withWatermark("time", "5 seconds").alias("l")
        .join(right.toDataset().withWatermark("time", "5 seconds").alias("r"),
            expr("l.key = r.key AND r.time >= l.time AND r.time <= l.time + INTERVAL 10"
                + " SECONDS"));
    try (QueryTester t = tester(joined)) {
      left.addData(tick("a", 10, 1));
      right.addData(tick("a", 15, 2));
      batch(t, row(1L, 2L)); // watermark after: min(10, 15) - 5 = 5 s
      batch(t); // without data, at 5 s: left goes at <= -5.001 s, right at <= 4.999 s
      right.addData(tick("a", 18, 3), tick("a", 21, 4));
      batch(t, row(1L, 3L)); // 21 s is more than 10 s after 10 s
      left.addData(tick("b", 40, 5));
      right.addData(tick("b", 41, 6));
      batch(t, row(5L, 6L)); // watermark after: min(40, 41) - 5 = 35 s
      batch(t); // at 35 s: left a@10 goes (<= 24.999 s), right a@15, a@18, a@21 (<= 34.999 s)
      assertThat(state(t).numRowsRemoved()).isEqualTo(4);
      assertThat(state(t).numRowsTotal()).isEqualTo(2); // b's entries, one a side
      right.addData(tick("a", 30, 7));
      batch(t); // 30 s is behind 35 s: late
      assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
    }
  }

  @Test
  void storedRowsSurviveARestartFromTheCheckpoint(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path checkpoint) {
    Dataset<Row> joined = left.toDataset().alias("l").join(right.toDataset().alias("r"),
        expr("l.key = r.key")).select("l.value", "r.value");
    DataStreamWriter<Row> writer = joined.writeStream().outputMode(OutputMode.APPEND)
        .option("checkpointLocation", checkpoint.toString());
    try (QueryTester t = QueryTester.of(writer)) {
      left.addData(tick("a", 1, 1));
      batch(t);
    }
    try (QueryTester t = QueryTester.of(writer)) {
      right.addData(tick("a", 2, 2));
      batch(t, row(1L, 2L));
      assertThat(state(t).numRowsTotal()).isEqualTo(2); // the row kept before, and the new one
    }
  }

  /** Both streams with a 5 s watermark, joined on key when the right is 0 to 10 s after the left. */
  private Dataset<Row> within10Seconds(String joinType) {
    return left.toDataset().withWatermark("time", "5 seconds").alias("l")
        .join(right.toDataset().withWatermark("time", "5 seconds").alias("r"),
            expr("l.key = r.key AND r.time >= l.time AND r.time <= l.time + INTERVAL 10"
                + " SECONDS"), joinType);
  }

  @Test
  void explainSaysWhenEachSidesRowsGo() {
    String plan = within10Seconds("left_outer").writeStream().outputMode(OutputMode.APPEND)
        .format("memory").queryName("explained").start().explain();
    assertThat(plan).contains("StreamStreamJoin LeftOuter keys [STRING], left rows go at event"
        + " time <= watermark - 10001 ms, right rows at event time <= watermark - 1 ms");
  }

  @Test
  void aLeftOuterJoinEmitsALeftRowThatNeverMatchedOnceTheWatermarkLetsItGo() {
    try (QueryTester t = tester(within10Seconds("left_outer"))) {
      left.addData(tick("a", 10, 1), tick("b", 11, 2));
      right.addData(tick("a", 15, 3));
      batch(t, row(1L, 3L)); // watermark after: min(11, 15) - 5 = 6 s
      batch(t); // at 6 s: left rows go at <= -4.001 s: none
      left.addData(tick("c", 40, 4));
      right.addData(tick("c", 45, 5));
      batch(t, row(4L, 5L)); // watermark after: 35 s
      // At 35 s left rows at <= 24.999 s go: a matched, b never did.
      batch(t, row(2L, null));
      // As Spark counts: the right a; the left rows went emitting null rows, uncounted.
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
      assertThat(state(t).numRowsTotal()).isEqualTo(2); // c's rows
      t.expectNoBatch(); // the watermark stays: nothing more
    }
  }

  @Test
  void aRightOuterJoinEmitsARightRowThatNeverMatched() {
    try (QueryTester t = tester(within10Seconds("right_outer"))) {
      left.addData(tick("a", 10, 1));
      right.addData(tick("a", 15, 2), tick("z", 16, 3));
      batch(t, row(1L, 2L)); // watermark after: min(10, 16) - 5 = 5 s
      batch(t);
      left.addData(tick("c", 40, 4));
      right.addData(tick("c", 41, 5));
      batch(t, row(4L, 5L)); // watermark after: 35 s
      batch(t, row(null, 3L)); // at 35 s right rows at <= 34.999 s go; z never matched
    }
  }

  @Test
  void aLeftSemiJoinEmitsEachLeftRowOnceOnItsFirstMatch() {
    try (QueryTester t = QueryTester.of(within10Seconds("left_semi").select("value")
        .writeStream().outputMode(OutputMode.APPEND))) {
      left.addData(tick("a", 10, 1), tick("a", 12, 2));
      batch(t);
      right.addData(tick("a", 15, 3), tick("a", 16, 4));
      batch(t, row(1L), row(2L));
      left.addData(tick("a", 14, 5));
      batch(t, row(5L)); // matches the stored right rows at once, and is not stored
      right.addData(tick("a", 17, 6));
      batch(t); // every left row has matched already
    }
  }

  @Test
  void aFullOuterJoinEmitsTheRowsOfEitherSideThatNeverMatched() {
    try (QueryTester t = tester(within10Seconds("full_outer"))) {
      left.addData(tick("a", 10, 1), tick("b", 10, 2));
      right.addData(tick("b", 12, 3), tick("z", 16, 4));
      batch(t, row(2L, 3L)); // watermark after: min(10, 16) - 5 = 5 s
      batch(t);
      left.addData(tick("c", 40, 5));
      right.addData(tick("c", 41, 6));
      batch(t, row(5L, 6L)); // watermark after: 35 s
      // At 35 s: left rows at <= 24.999 s go (a never matched), then right rows at <= 34.999 s
      // (z never matched).
      batch(t, row(1L, null), row(null, 4L));
    }
  }

  @Test
  void theWatermarkKeepsTheStateBoundedOverALongRun() {
    long most = 0;
    try (QueryTester t = tester(within10Seconds("inner"))) {
      for (int i = 0; i < 300; i++) {
        // A new key each second on both sides; each pair matches (the right 1 s after the left).
        left.addData(tick("k" + i, i, i));
        right.addData(tick("k" + i, i + 1, i));
        batch(t, row((long) i, (long) i));
        most = Math.max(most, state(t).numRowsTotal());
        t.runBatch(); // the batch without data the moved watermark brings, if any
        most = Math.max(most, state(t).numRowsTotal());
      }
      // Left rows stay until 10 s + 5 s behind the newest, right rows until 5 s: about 22, not
      // the 600 rows of the run.
      assertThat(most).isBetween(15L, 30L);
      assertThat(state(t).numRowsTotal()).isPositive();
    }
  }

  @Test
  void anAggregationAfterTheJoinClosesWindowsByTheJoinsOutputWatermark() {
    Dataset<Row> counts = within10Seconds("inner")
        .groupBy(Functions.window(Functions.col("l.time"), "10 seconds")).count()
        .select(Functions.col("window.start"), Functions.col("count"));
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND))) {
      left.addData(tick("a", 11, 1), tick("b", 13, 2));
      right.addData(tick("a", 12, 3), tick("b", 14, 4));
      batch(t); // two pairs in window [10 s, 20 s); watermark after: min(13, 14) - 5 = 8 s
      batch(t); // without data, at 8 s
      left.addData(tick("c", 30, 5));
      right.addData(tick("c", 31, 6));
      batch(t); // a pair in [30 s, 40 s); watermark after: 25 s
      // The join's output watermark lags by what a left row may wait, 10.001 s, as in Spark:
      // at 25 s it is 14.999 s, which does not close [10 s, 20 s) yet.
      batch(t);
      left.addData(tick("d", 40, 7));
      right.addData(tick("d", 41, 8));
      batch(t); // watermark after: 35 s
      batch(t, row(Tick.T0.toEpochMilli() + 10_000, 2L)); // 24.999 s closes [10 s, 20 s)
    }
  }

  /**
   * Joins on event-time windows projected before the join, as Spark's: the window carries the
   * watermark, so both sides' rows go once the watermark passes the window's end, and late rows
   * are judged by that end too.
   */
  @Nested
  class OnWindows {
    /** A stream as (key, its 10 s window, value), watermarked 5 s behind. */
    private Dataset<Row> windowed(MemoryStream<Tick> ticks, String alias) {
      return ticks.toDataset().withWatermark("time", "5 seconds")
          .select(Functions.col("key"), Functions.window(Functions.col("time"), "10 seconds")
              .as("w"), Functions.col("value")).alias(alias);
    }

    private Dataset<Row> joined(String joinType) {
      return windowed(left, "l").join(windowed(right, "r"), expr("l.key = r.key AND l.w = r.w"),
          joinType);
    }

    @Test
    void rowsGoOnceTheWatermarkPassesTheirWindowsEnd() {
      try (QueryTester t = tester(joined("inner"))) {
        left.addData(tick("a", 12, 1));
        right.addData(tick("a", 17, 2), tick("a", 21, 3)); // 21 s is in the next window
        batch(t, row(1L, 2L)); // watermark after: min(12, 21) - 5 = 7 s
        left.addData(tick("b", 40, 4));
        right.addData(tick("b", 41, 5));
        batch(t, row(4L, 5L)); // watermark after: 35 s
        batch(t); // at 35 s the rows of [10 s, 20 s) and [20 s, 30 s) go
        assertThat(state(t).numRowsRemoved()).isEqualTo(3);
        assertThat(state(t).numRowsTotal()).isEqualTo(2);
      }
    }

    @Test
    void aLateRowIsJudgedByItsWindowsEnd() {
      try (QueryTester t = tester(joined("inner"))) {
        left.addData(tick("b", 40, 1));
        right.addData(tick("b", 41, 2));
        batch(t, row(1L, 2L)); // watermark after: 35 s
        batch(t);
        // 33 s is behind the watermark, but its window [30 s, 40 s) ends after it; 19 s's does
        // not.
        left.addData(tick("c", 32, 3));
        right.addData(tick("c", 33, 4), tick("c", 19, 5));
        batch(t, row(3L, 4L));
        assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
      }
    }

    @Test
    void aLeftOuterJoinEmitsTheUnmatchedRowWhenItsWindowCloses() {
      try (QueryTester t = tester(joined("left_outer"))) {
        left.addData(tick("a", 12, 1), tick("b", 13, 2));
        right.addData(tick("b", 14, 3));
        batch(t, row(2L, 3L)); // watermark after: min(13, 14) - 5 = 8 s
        batch(t); // [10 s, 20 s) is still open at 8 s
        left.addData(tick("c", 30, 4));
        right.addData(tick("c", 31, 5));
        batch(t, row(4L, 5L)); // watermark after: 25 s
        batch(t, row(1L, null)); // at 25 s [10 s, 20 s) has closed: a never matched
        t.expectNoBatch();
      }
    }

    @Test
    void explainSaysRowsGoByTheWindowKey() {
      String plan = joined("full_outer").writeStream().outputMode(OutputMode.APPEND)
          .format("memory").queryName("windowJoin").start().explain();
      assertThat(plan).contains("left rows go at key 1 window end <= watermark, right rows at"
          + " key 1 window end <= watermark");
    }

    @Test
    void aWindowComputedInTheConditionBoundsNothing() {
      // As in Spark, only a window column carries the watermark; one written in the condition
      // is an expression, so the outer join has nothing to bound its kept side.
      Dataset<Tick> l = left.toDataset().withWatermark("time", "5 seconds");
      Dataset<Tick> r = right.toDataset().withWatermark("time", "5 seconds");
      assertThatThrownBy(() -> l.alias("l").join(r.alias("r"), expr("l.key = r.key AND"
          + " window(l.time, '10 seconds') = window(r.time, '10 seconds')"), "left_outer"))
          .hasMessageContaining("Stream-stream LeftOuter join between two streaming"
              + " DataFrame/Datasets is not supported without a watermark in the join keys");
    }
  }

  @Nested
  class WhatSparkRefuses {
    @Test
    void anOuterJoinWhoseKeptSideNothingBounds() {
      Dataset<Tick> l = left.toDataset().withWatermark("time", "5 seconds");
      Dataset<Tick> r = right.toDataset();
      assertThatThrownBy(() -> l.alias("l").join(r.alias("r"), expr("l.key = r.key AND"
          + " r.time >= l.time"), "left")).hasMessageContaining("Stream-stream LeftOuter join"
              + " between two streaming DataFrame/Datasets is not supported without a watermark"
              + " in the join keys, or a watermark on the nullable side and an appropriate range"
              + " condition");
    }

    @Test
    void updateOutputMode() {
      Dataset<Row> joined = left.toDataset().alias("l").join(right.toDataset().alias("r"),
          expr("l.key = r.key"));
      assertThatThrownBy(() -> QueryTester.of(joined.writeStream()
          .outputMode(OutputMode.UPDATE))).hasMessageContaining("Join between two streaming"
              + " DataFrames/Datasets is not supported in Update output mode, only in Append"
              + " output mode");
    }

    @Test
    void aJoinWithoutAnEquality() {
      assertThatThrownBy(() -> left.toDataset().alias("l").join(right.toDataset().alias("r"),
          expr("l.time < r.time"))).hasMessageContaining("Stream-stream join without equality"
              + " predicate is not supported");
    }
  }

  /** What Spark runs in Append mode and Sluice refuses, for now, with a message that says so. */
  @Nested
  class NotYetSupported {
    @Test
    void aJoinOfAJoin() {
      MemoryStream<Tick> third = engine.memoryStream(Tick.class);
      Dataset<Row> both = left.toDataset().alias("l").join(right.toDataset().alias("r"),
          expr("l.key = r.key"));
      assertThatThrownBy(() -> both.join(third.toDataset().alias("t"), expr("l.key = t.key")))
          .hasMessageContaining("the left side of this stream-stream join comes from a"
              + " stream-stream join; Sluice does not chain a stateful operator into a"
              + " stream-stream join yet");
    }

    @Test
    void aJoinOfDeduplicatedRows() {
      Dataset<Tick> distinct = right.toDataset().dropDuplicates("key");
      assertThatThrownBy(() -> left.toDataset().alias("l").join(distinct.alias("r"),
          expr("l.key = r.key"))).hasMessageContaining("the right side of this stream-stream"
              + " join comes from dropDuplicates");
    }

    @Test
    void deduplicatingTheJoinedRows() {
      Dataset<Row> joined = left.toDataset().alias("l").join(right.toDataset().alias("r"),
          expr("l.key = r.key")).select("l.key", "r.value").dropDuplicates("key");
      assertThatThrownBy(() -> QueryTester.of(joined.writeStream()
          .outputMode(OutputMode.APPEND))).hasMessageContaining("a query may have one stateful"
              + " row operator (dropDuplicates, [flat]mapGroupsWithState, transformWithState or"
              + " a stream-stream join)");
    }
  }
}
