package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.sum;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Reading;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Event time as Spark defines it: the watermark trails the latest event time by the delay and
 * takes effect in the next batch; windows close when it passes their end; late rows are dropped
 * and counted; a batch without data runs when the watermark moves. Expected rows are worked out
 * by hand, batch by batch, in the comments.
 */
class EventTimeWindowTest {
  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static TimeWindow w(long startSeconds, long endSeconds) {
    return new TimeWindow(ms(startSeconds), ms(endSeconds));
  }

  /** Ten-second windows per key, watermark five seconds behind, counted. */
  private QueryTester tenSecondCounts(OutputMode mode) {
    Dataset<Row> counts = ticks.toDataset().withWatermark("time", "5 seconds")
        .groupBy(window(col("time"), "10 seconds"), col("key")).agg(count("*").as("n"));
    return QueryTester.of(counts.writeStream().outputMode(mode).queryName("counts"));
  }

  /** Runs exactly one batch and checks its rows, in any order. */
  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  /** Runs exactly one batch that reads no input, only moving the watermark, and checks its rows. */
  private static void noDataBatch(QueryTester tester, List<?>... rows) {
    batch(tester, rows);
    assertThat(tester.lastProgress().numInputRows()).isZero();
  }

  private static StateOperatorProgress state(QueryTester tester) {
    return tester.lastProgress().stateOperators().get(0);
  }

  @Nested
  class AppendMode {
    @Test
    void emitsEachWindowOnceWhenTheWatermarkPassesItsEnd() {
      try (QueryTester t = tenSecondCounts(OutputMode.APPEND)) {
        // Batch 0 runs with watermark 0: nothing can close. Max 12 s: watermark 7 s.
        ticks.addData(at("a", 1), at("a", 3), at("a", 12));
        batch(t);
        // Batch 1, no data, watermark 7 s: [0, 10) ends at 10 s, still open.
        noDataBatch(t);
        // Batch 2: 4 s is behind the watermark but its window is open, so it counts.
        ticks.addData(at("a", 16), at("a", 4));
        batch(t);
        assertThat(state(t).numRowsDroppedByWatermark()).isZero();
        // Batch 3, no data, watermark 16 - 5 = 11 s: [0, 10) closes with 1, 3 and 4.
        noDataBatch(t, row(w(0, 10), "a", 3L));
        assertThat(state(t).numRowsRemoved()).isEqualTo(1);
        // Batch 4: 2 s falls in [0, 10), closed at watermark 11 s: dropped and counted.
        ticks.addData(at("a", 2), at("a", 25));
        batch(t);
        assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
        // Batch 5, no data, watermark 20 s: [10, 20) closes with 12 and 16.
        noDataBatch(t, row(w(10, 20), "a", 2L));
        t.expectNoBatch();
        assertThat(t.table()).hasSize(2);
      }
    }

    /** Spark judges late rows by the previous batch's watermark and evicts by the current one. */
    @Test
    void aRowTheWatermarkPassedOnlyInTheLastBatchStillCounts() {
      Dataset<Row> counts = ticks.toDataset().withWatermark("time", "10 seconds")
          .groupBy(window(col("time"), "10 seconds")).agg(count("*").as("n"));
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 5), at("a", 12));
        batch(t); // watermark after: 2 s
        noDataBatch(t); // evicts by 2 s: nothing
        ticks.addData(at("a", 25));
        batch(t); // watermark after: 15 s
        // 8 s arrives before the next batch: late only by 2 s, [0, 10) then closes by 15 s.
        ticks.addData(at("a", 8));
        batch(t, row(w(0, 10), 2L));
        assertThat(state(t).numRowsDroppedByWatermark()).isZero();
      }
    }

    @Test
    void keepsOnlyOpenWindowsInState() {
      try (QueryTester t = tenSecondCounts(OutputMode.APPEND)) {
        ticks.addData(at("a", 1), at("b", 2), at("a", 11), at("a", 21), at("b", 31));
        batch(t);
        assertThat(state(t).numRowsTotal()).isEqualTo(5);
        // Watermark 26 s: [0,10) a and b, [10,20) a closed; [20,30) a and [30,40) b open.
        noDataBatch(t, row(w(0, 10), "a", 1L), row(w(0, 10), "b", 1L), row(w(10, 20), "a", 1L));
        assertThat(state(t).numRowsTotal()).isEqualTo(2);
        assertThat(state(t).numRowsRemoved()).isEqualTo(3);
      }
    }

    @Test
    void outOfOrderRowsWithinTheDelayJoinTheirWindow() {
      try (QueryTester t = tenSecondCounts(OutputMode.APPEND)) {
        ticks.addData(at("a", 9), at("a", 14), at("a", 2), at("a", 13), at("a", 7));
        batch(t);
        noDataBatch(t); // watermark 9 s
        ticks.addData(at("a", 6), at("a", 30));
        batch(t); // late by 9 s? [0, 10) ends at 10 s: not late
        noDataBatch(t, row(w(0, 10), "a", 4L), row(w(10, 20), "a", 2L));
      }
    }
  }

  @Nested
  class UpdateMode {
    @Test
    void emitsTheWindowsEachBatchChangedAndForgetsClosedOnes() {
      try (QueryTester t = tenSecondCounts(OutputMode.UPDATE)) {
        ticks.addData(at("a", 1), at("a", 3), at("a", 12));
        batch(t, row(w(0, 10), "a", 2L), row(w(10, 20), "a", 1L));
        noDataBatch(t); // watermark 7 s: nothing changed, nothing closed
        ticks.addData(at("a", 16), at("a", 4));
        batch(t, row(w(0, 10), "a", 3L), row(w(10, 20), "a", 2L));
        noDataBatch(t); // watermark 11 s: [0, 10) leaves state without output
        assertThat(state(t).numRowsTotal()).isEqualTo(1);
        ticks.addData(at("a", 2), at("a", 25));
        batch(t, row(w(20, 30), "a", 1L));
        assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
      }
    }
  }

  @Nested
  class CompleteMode {
    @Test
    void keepsEveryWindowAndTakesLateRows() {
      try (QueryTester t = tenSecondCounts(OutputMode.COMPLETE)) {
        ticks.addData(at("a", 1), at("a", 12));
        batch(t, row(w(0, 10), "a", 1L), row(w(10, 20), "a", 1L));
        // No batch without data: complete mode never evicts.
        t.expectNoBatch();
        ticks.addData(at("a", 40));
        batch(t, row(w(0, 10), "a", 1L), row(w(10, 20), "a", 1L), row(w(40, 50), "a", 1L));
        ticks.addData(at("a", 2));
        batch(t, row(w(0, 10), "a", 2L), row(w(10, 20), "a", 1L), row(w(40, 50), "a", 1L));
        assertThat(state(t).numRowsDroppedByWatermark()).isZero();
      }
    }
  }

  @Nested
  class SlidingWindows {
    private QueryTester counts(String size, String slide) {
      Dataset<Row> counts = ticks.toDataset()
          .groupBy(window(col("time"), size, slide)).agg(count("*").as("n"));
      return QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE));
    }

    @Test
    void countEachRowInEveryWindowThatHoldsIt() {
      try (QueryTester t = counts("10 seconds", "5 seconds")) {
        ticks.addData(at("a", 7), at("a", 12));
        batch(t, row(w(0, 10), 1L), row(w(5, 15), 2L), row(w(10, 20), 1L));
      }
    }

    @Test
    void aSlideThatDoesNotDivideTheWindowLeavesOutWindowsThatEndBeforeTheRow() {
      try (QueryTester t = counts("10 seconds", "4 seconds")) {
        // 9 s: [8,18) [4,14) [0,10). 3 s: [0,10) [-4,6), not [-8,2).
        ticks.addData(at("a", 9), at("a", 3));
        batch(t, row(w(8, 18), 1L), row(w(4, 14), 1L), row(w(0, 10), 2L), row(w(-4, 6), 1L));
      }
    }

    @Test
    void aStartTimeShiftsEveryWindow() {
      Dataset<Row> counts = ticks.toDataset()
          .groupBy(window(col("time"), "10 seconds", "10 seconds", "3 seconds"))
          .agg(count("*").as("n"));
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
        ticks.addData(at("a", 2), at("a", 3), at("a", 12));
        batch(t, row(w(-7, 3), 1L), row(w(3, 13), 2L));
      }
    }

    @Test
    void closeAsTheWatermarkPassesEachOne() {
      Dataset<Row> counts = ticks.toDataset().withWatermark("time", "0 seconds")
          .groupBy(window(col("time"), "10 seconds", "5 seconds")).agg(count("*").as("n"));
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 7), at("a", 12));
        batch(t);
        // Watermark 12 s: [0, 10) closed; [5, 15) and [10, 20) open.
        noDataBatch(t, row(w(0, 10), 1L));
        ticks.addData(at("a", 20));
        batch(t);
        noDataBatch(t, row(w(5, 15), 2L), row(w(10, 20), 1L));
      }
    }
  }

  @Nested
  class EventTimeColumns {
    @Test
    void epochMillisecondLongsWorkLikeTimestamps() {
      MemoryStream<Reading> readings = engine.memoryStream(Reading.class);
      Dataset<Row> sums = readings.toDataset().withWatermark("ts", "1 second")
          .groupBy(window(col("ts"), "10 seconds"), col("sensor")).agg(sum("value").as("total"));
      try (QueryTester t = QueryTester.of(sums.writeStream().outputMode(OutputMode.APPEND))) {
        readings.addData(new Reading("s1", 1_000, 1.5), new Reading("s1", 9_999, 2.0),
            new Reading("s1", 12_000, 4.0));
        batch(t);
        noDataBatch(t, row(new TimeWindow(0, 10_000), "s1", 3.5));
      }
    }

    @Test
    void windowFieldsReadAsTimestamps() {
      Dataset<Row> counts = ticks.toDataset()
          .groupBy(window(col("time"), "10 seconds").as("w")).agg(count("*").as("n"))
          .selectExpr("w.start AS window_start", "w.end AS window_end", "n");
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
        ticks.addData(at("a", 1), at("a", 2));
        batch(t, row(ms(0), ms(10), 2L));
      }
    }

    @Test
    void aWindowColumnIsNamedWindow() {
      Dataset<Row> counts = ticks.toDataset().groupBy(window(col("time"), "1 minute")).count();
      assertThat(counts.schema().names()).containsExactly("window", "count");
      assertThat(counts.schema().field(0).type()).isEqualTo(DataType.WINDOW);
    }
  }

  @Nested
  class Progress {
    @Test
    void reportsTheWatermarkAndTheEventTimesOfTheBatch() {
      try (QueryTester t = tenSecondCounts(OutputMode.APPEND)) {
        ticks.addData(at("a", 2), at("a", 12), at("a", 4));
        batch(t);
        assertThat(t.lastProgress().eventTime()).containsEntry("watermark",
            "1970-01-01T00:00:00.000Z").containsEntry("min", "2024-01-01T00:00:02.000Z")
            .containsEntry("max", "2024-01-01T00:00:12.000Z")
            .containsEntry("avg", "2024-01-01T00:00:06.000Z");
        noDataBatch(t);
        assertThat(t.lastProgress().eventTime())
            .containsOnlyKeys("watermark").containsEntry("watermark", "2024-01-01T00:00:07.000Z");
      }
    }

    /** Spark's statistics read a null event time as 0; the row itself has no window. */
    @Test
    void aRowWithoutEventTimeHasNoWindowAndCountsAsTheEpoch() {
      try (QueryTester t = tenSecondCounts(OutputMode.UPDATE)) {
        ticks.addData(new Tick("a", null, 1), at("a", 12));
        batch(t, row(w(10, 20), "a", 1L));
        assertThat(t.lastProgress().eventTime()).containsEntry("min", "1970-01-01T00:00:00.000Z")
            .containsEntry("max", "2024-01-01T00:00:12.000Z");
      }
    }

    @Test
    void aQueryWithoutWatermarkReportsNoEventTime() {
      Dataset<Row> counts = ticks.toDataset().groupBy("key").count();
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
        ticks.addData(at("a", 1));
        batch(t, row("a", 1L));
        assertThat(t.lastProgress().eventTime()).isEmpty();
        t.expectNoBatch();
      }
    }

    @Test
    void theWatermarkNeverMovesBack() {
      try (QueryTester t = tenSecondCounts(OutputMode.UPDATE)) {
        ticks.addData(at("a", 30));
        batch(t, row(w(30, 40), "a", 1L));
        noDataBatch(t);
        ticks.addData(at("a", 26));
        batch(t, row(w(20, 30), "a", 1L));
        assertThat(t.lastProgress().eventTime()).containsEntry("watermark",
            "2024-01-01T00:00:25.000Z");
        t.expectNoBatch();
      }
    }
  }

  @Nested
  class Errors {
    @Test
    void appendModeNeedsAWindowOverTheWatermarkedColumn() {
      Dataset<Row> counts = ticks.toDataset().withWatermark("time", "5 seconds")
          .groupBy("key").count();
      assertThatThrownBy(() -> counts.writeStream().outputMode(OutputMode.APPEND).format("memory")
          .queryName("w").start()).isInstanceOf(SluiceException.class)
          .hasMessageContaining("append output mode is not supported for a streaming"
              + " aggregation without a watermark");
    }

    @Test
    void theEventTimeMustBeATimestampOrEpochMillis() {
      assertThatThrownBy(() -> ticks.toDataset().withWatermark("key", "5 seconds"))
          .hasMessageContaining("the event-time column 'key' of withWatermark must be a TIMESTAMP"
              + " or a BIGINT of epoch milliseconds, but it is STRING");
      assertThatThrownBy(() -> ticks.toDataset().withWatermark("nope", "5 seconds"))
          .hasMessageContaining("column 'nope' not found; available: key, time, value");
    }

    @Test
    void theDelayMustBeAnIntervalAndNotNegative() {
      assertThatThrownBy(() -> ticks.toDataset().withWatermark("time", "-5 seconds"))
          .hasMessageContaining("must not be negative");
      assertThatThrownBy(() -> ticks.toDataset().withWatermark("time", "5 parsecs"))
          .hasMessageContaining("'5 parsecs' is not an interval");
    }

    @Test
    void windowDurationsFollowSparksRules() {
      Dataset<Tick> d = ticks.toDataset();
      assertThatThrownBy(() -> d.groupBy(window(col("time"), "5 seconds", "10 seconds")))
          .hasMessageContaining("the slide duration (10 seconds) must be less than or equal to"
              + " the window duration (5 seconds)");
      assertThatThrownBy(() -> d.groupBy(window(col("time"), "0 seconds")))
          .hasMessageContaining("the window duration must be positive");
      assertThatThrownBy(() -> d.groupBy(window(col("time"), "10 seconds", "5 seconds",
          "5 seconds"))).hasMessageContaining("the absolute value of the start time");
      assertThatThrownBy(() -> d.groupBy(window(col("key"), "10 seconds")))
          .hasMessageContaining("the time column of window must be a TIMESTAMP or a BIGINT");
    }

    @Test
    void aSlidingWindowIsOnlyAGroupingKey() {
      Dataset<Row> selected = ticks.toDataset()
          .select(window(col("time"), "10 seconds", "5 seconds"));
      assertThatThrownBy(() -> selected.writeStream().format("memory").queryName("w").start())
          .hasMessageContaining("a sliding window() or a session_window() can only be a key of"
              + " groupBy");
    }

    @Test
    void aStreamHasOneWatermark() {
      Dataset<Row> counts = ticks.toDataset().withWatermark("time", "5 seconds")
          .withWatermark("time", "1 second").groupBy(window(col("time"), "10 seconds")).count();
      assertThatThrownBy(() -> counts.writeStream().outputMode(OutputMode.APPEND).format("memory")
          .queryName("w").start()).hasMessageContaining("redefining the watermark is not supported");
    }
  }
}
