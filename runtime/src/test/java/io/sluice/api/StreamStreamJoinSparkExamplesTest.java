package io.sluice.api;

import static io.sluice.api.ApiTestSupport.batch;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Stream-stream joins run batch by batch as Spark 4 runs them: the worked examples of how its
 * symmetric hash join orders a batch (left rows against the stored right rows, then right rows
 * against all left rows, then eviction), and the rules at its edges: null keys, rows without an
 * event time, conjuncts over one side only, inclusive and strict bounds, rows accepted and
 * evicted in one batch. Times are clock times on one day; W is the watermark a batch evicts by,
 * Wlate the one before it, by which input is late. Rows are (left value, right value), expected
 * rows and state metrics worked out by hand from Spark's rules.
 */
class StreamStreamJoinSparkExamplesTest {
  /** The left row from 5 minutes before the right row to 10 minutes after it, both inclusive. */
  private static final String FIVE_BEFORE_TO_TEN_AFTER =
      "l.time BETWEEN r.time - INTERVAL 5 MINUTES AND r.time + INTERVAL 10 MINUTES";

  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Tick> left = engine.memoryStream(Tick.class);
  private final MemoryStream<Tick> right = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  /** A tick of {@code key} at {@code clock} ("12:00", or "12:04:59.999") on the test day. */
  private static Tick tick(@Nullable String key, String clock, long value) {
    return new Tick(key, at(clock), value);
  }

  private static Instant at(String clock) {
    return Tick.T0.plusNanos(LocalTime.parse(clock).toNanoOfDay());
  }

  /** Both streams, each with a 10 minute watermark, joined on key and {@code range}. */
  private Dataset<Row> joined(String range, String joinType) {
    return left.toDataset().withWatermark("time", "10 minutes").alias("l")
        .join(right.toDataset().withWatermark("time", "10 minutes").alias("r"),
            expr("l.key = r.key AND " + range), joinType);
  }

  private static QueryTester pairs(Dataset<Row> joined) {
    return QueryTester.of(joined.select("l.value", "r.value").writeStream()
        .outputMode(OutputMode.APPEND));
  }

  /** The watermark W the last batch ran with. */
  private static Instant watermark(QueryTester t) {
    return Instant.parse(t.lastProgress().eventTime().get("watermark"));
  }

  /** The join's state metrics after the last batch, as Spark reports them, in one line. */
  private static String metrics(QueryTester t) {
    StateOperatorProgress s = t.lastProgress().stateOperators().get(0);
    return "total " + s.numRowsTotal() + ", updated " + s.numRowsUpdated() + ", removed "
        + s.numRowsRemoved() + ", late " + s.numRowsDroppedByWatermark();
  }

  /** The line of {@code explain()} that says when each side's stored rows go. */
  private static String evictions(Dataset<Row> joined, String name) {
    String plan = joined.writeStream().outputMode(OutputMode.APPEND).format("memory")
        .queryName(name).start().explain();
    return plan.lines().filter(l -> l.startsWith("StreamStreamJoin")).findFirst().orElseThrow();
  }

  /**
   * A left outer join on {@code l.time BETWEEN r.time - 5 min AND r.time + 10 min}: left rows go
   * at W - 5 min - 1 ms, right rows at W - 10 min - 1 ms.
   */
  @Test
  void aLeftOuterJoinWithARangeRunsAsSparksWorkedExample() {
    try (QueryTester t = pairs(joined(FIVE_BEFORE_TO_TEN_AFTER, "left_outer"))) {
      left.addData(tick("a", "12:00", 1), tick("b", "12:01", 2));
      right.addData(tick("a", "12:03", 11));
      // The left rows find no right row yet and are stored; the right row then finds a's
      // (12:00 is in [11:58, 12:13]).
      batch(t, row(1L, 11L));
      assertThat(watermark(t)).isEqualTo(Instant.EPOCH);
      assertThat(metrics(t)).isEqualTo("total 3, updated 3, removed 0, late 0");

      batch(t); // without data, at min(12:01, 12:03) - 10 min: nothing is old enough to go
      assertThat(watermark(t)).isEqualTo(at("11:51"));
      assertThat(metrics(t)).isEqualTo("total 3, updated 0, removed 0, late 0");

      right.addData(tick("b", "12:20", 12));
      left.addData(tick("c", "12:30", 3));
      batch(t); // b's right row is 19 minutes after b's left row: too far
      assertThat(watermark(t)).isEqualTo(at("11:51"));
      assertThat(metrics(t)).isEqualTo("total 5, updated 2, removed 0, late 0");

      // Without data, at min(12:30, 12:20) - 10 min: the left rows at or before 12:04:59.999 go;
      // a's had matched, b's never did. The right rows stay (at or before 11:59:59.999 go).
      batch(t, row(2L, null));
      assertThat(watermark(t)).isEqualTo(at("12:10"));
      // Spark does not count the rows whose removal emits a left outer join's null rows.
      assertThat(metrics(t)).isEqualTo("total 3, updated 0, removed 0, late 0");

      right.addData(tick("b", "12:05", 13));
      batch(t); // late: at or before the 12:10 of the batch before
      assertThat(metrics(t)).isEqualTo("total 3, updated 0, removed 0, late 1");
      t.expectNoBatch(); // the late row did not move the watermark
    }
  }

  /**
   * A right outer join on {@code l.time > r.time AND l.time < r.time + 1 hour}, in a batch with
   * Wlate 12:30 and W 14:00: right rows go at W - 1 hour, so a right row at 12:45 is not late but
   * goes in the batch it arrives in.
   */
  @Nested
  class ARightRowThatGoesInTheBatchItArrivesIn {
    private static final String WITHIN_THE_HOUR_AFTER =
        "l.time > r.time AND l.time < r.time + INTERVAL 1 HOUR";

    /** Two batches that store a left row of k at 13:10 and bring the watermark to 14:00. */
    private QueryTester atWatermark1400() {
      QueryTester t = pairs(joined(WITHIN_THE_HOUR_AFTER, "right_outer"));
      left.addData(tick("a", "12:50", 1), tick("k", "13:10", 2));
      right.addData(tick("a", "12:40", 11));
      batch(t, row(1L, 11L));
      left.addData(tick("m", "14:20", 3));
      right.addData(tick("m", "14:10", 13));
      // Runs at W 12:30 and moves it to 14:00: the next batch, with data, has Wlate 12:30.
      batch(t, row(3L, 13L));
      assertThat(watermark(t)).isEqualTo(at("12:30"));
      return t;
    }

    @Test
    void joinsWithTheStoredLeftRowAndIsNotStored() {
      try (QueryTester t = atWatermark1400()) {
        right.addData(tick("k", "12:45", 14));
        batch(t, row(2L, 14L)); // 13:10 is after 12:45 and before 13:45
        assertThat(watermark(t)).isEqualTo(at("14:00"));
        // The right row is not stored: it has met every left row it ever can. The left rows at
        // or before 14:00 go (a's and k's), counted as a right outer join's clean-up; a's right
        // row goes too, matched, uncounted as its side's removals emit the null rows.
        assertThat(metrics(t)).isEqualTo("total 2, updated 0, removed 2, late 0");
      }
    }

    @Test
    void matchingNothingIsStoredAndEmittedWithNullsInTheSameBatch() {
      try (QueryTester t = atWatermark1400()) {
        right.addData(tick("j", "12:50", 15));
        batch(t, row(null, 15L));
        assertThat(metrics(t)).isEqualTo("total 2, updated 1, removed 2, late 0");
      }
    }
  }

  /** A left semi join on {@code l.time BETWEEN r.time AND r.time + 10 min}. */
  @Nested
  class LeftSemi {
    private QueryTester semi() {
      Dataset<Row> joined = joined("l.time BETWEEN r.time AND r.time + INTERVAL 10 MINUTES",
          "left_semi");
      return QueryTester.of(joined.select("value").writeStream()
          .outputMode(OutputMode.APPEND));
    }

    @Test
    void runsAsSparksWorkedExample() {
      try (QueryTester t = semi()) {
        left.addData(tick("a", "12:00", 1), tick("a", "12:01", 2));
        right.addData(tick("a", "11:55", 11));
        batch(t, row(1L), row(2L)); // the right row meets both stored left rows
        assertThat(metrics(t)).isEqualTo("total 3, updated 3, removed 0, late 0");

        left.addData(tick("a", "12:02", 3));
        right.addData(tick("a", "11:58", 12));
        // The new left row meets the stored right row at once, so it is emitted and not stored;
        // the new right row finds only left rows that have come out already.
        batch(t, row(3L));
        assertThat(metrics(t)).isEqualTo("total 4, updated 1, removed 0, late 0");
      }
    }

    @Test
    void aLeftRowMeetingSeveralRightRowsComesOutOnce() {
      try (QueryTester t = semi()) {
        left.addData(tick("a", "12:00", 1));
        right.addData(tick("a", "11:58", 11), tick("a", "11:59", 12), tick("a", "12:00", 13));
        batch(t, row(1L)); // the right rows of its own batch: the first takes it
        assertThat(metrics(t)).isEqualTo("total 4, updated 4, removed 0, late 0");

        left.addData(tick("a", "12:01", 2));
        batch(t, row(2L)); // the three stored right rows, at once: emitted once, not stored
        assertThat(metrics(t)).isEqualTo("total 4, updated 0, removed 0, late 0");
      }
    }
  }

  /**
   * A null key matches nothing. Spark filters such rows out below the join, and below the
   * watermark, on each side whose unmatched rows the join drops; an outer join keeps them on the
   * side it preserves until they go, then emits them with nulls.
   */
  @Nested
  class NullKeys {
    @Test
    void inAnInnerJoinAreNeitherStoredNorLateAndDoNotMoveTheWatermark() {
      Dataset<Row> joined = left.toDataset().withWatermark("time", "10 minutes").alias("l")
          .join(right.toDataset().withWatermark("time", "10 minutes").alias("r"),
              expr("l.key = r.key"));
      try (QueryTester t = pairs(joined)) {
        left.addData(tick(null, "13:00", 1), tick("a", "12:00", 2));
        right.addData(tick(null, "12:00", 11), tick("a", "12:01", 12));
        batch(t, row(2L, 12L));
        assertThat(metrics(t)).isEqualTo("total 2, updated 2, removed 0, late 0");

        left.addData(tick("a", "12:05", 3));
        batch(t, row(3L, 12L));
        // min(12:00, 12:01) - 10 min: the null key's 13:00 would have made it 11:51.
        assertThat(watermark(t)).isEqualTo(at("11:50"));

        left.addData(tick(null, "11:00", 4), tick("a", "11:40", 5));
        batch(t); // both behind 11:50, but only the row with a key reaches the join as late
        assertThat(metrics(t)).isEqualTo("total 3, updated 0, removed 0, late 1");
      }
    }

    /**
     * After a first batch at 11:50 or before: the batch without data at 11:50, then b's pair,
     * which brings W to 12:30, where left rows at or before 12:24:59.999 go and right rows at or
     * before 12:19:59.999.
     */
    private void toWatermark1230(QueryTester t) {
      batch(t);
      left.addData(tick("b", "12:40", 3));
      right.addData(tick("b", "12:41", 13));
      batch(t, row(3L, 13L));
    }

    /** On each side a row with a null key and one of a, at 12:00 and 12:01. */
    private void addNullKeysAndAPairOfA() {
      left.addData(tick(null, "12:00", 1), tick("a", "12:00", 2));
      right.addData(tick(null, "12:01", 11), tick("a", "12:01", 12));
    }

    @Test
    void inALeftOuterJoinAreKeptOnTheLeftAndEmittedWhenTheyGo() {
      try (QueryTester t = pairs(joined(FIVE_BEFORE_TO_TEN_AFTER, "left_outer"))) {
        addNullKeysAndAPairOfA();
        batch(t, row(2L, 12L));
        assertThat(metrics(t)).isEqualTo("total 3, updated 3, removed 0, late 0");
        toWatermark1230(t);
        batch(t, row(1L, null)); // a's right row goes too, counted
        assertThat(metrics(t)).isEqualTo("total 2, updated 0, removed 1, late 0");
      }
    }

    /**
     * Whether Spark's full outer join matches a null key with a null key is an open question
     * (its state compares key rows as bytes, and no filter stops them); Sluice keeps SQL's rule.
     */
    @Test
    void inAFullOuterJoinAreKeptOnBothSidesAndEmittedWhenTheyGo() {
      try (QueryTester t = pairs(joined(FIVE_BEFORE_TO_TEN_AFTER, "full_outer"))) {
        addNullKeysAndAPairOfA();
        batch(t, row(2L, 12L));
        assertThat(metrics(t)).isEqualTo("total 4, updated 4, removed 0, late 0");
        toWatermark1230(t);
        batch(t, row(1L, null), row(null, 11L));
        assertThat(metrics(t)).isEqualTo("total 2, updated 0, removed 0, late 0");
      }
    }

    /** Spark infers this: a null event time meets no range and passes no watermark. */
    @Test
    void aLeftRowWithoutEventTimeInALeftOuterJoinIsKeptAndNeverEmitted() {
      try (QueryTester t = pairs(joined(FIVE_BEFORE_TO_TEN_AFTER, "left_outer"))) {
        left.addData(new Tick("a", null, 1), tick("a", "12:00", 2));
        right.addData(tick("a", "12:01", 12));
        batch(t, row(2L, 12L));
        toWatermark1230(t);
        batch(t); // a's timed left row goes, matched; the one without time stays
        assertThat(metrics(t)).isEqualTo("total 3, updated 0, removed 1, late 0");
      }
    }
  }

  /** How far behind W each side's rows go, derived from the condition as Spark derives it. */
  @Nested
  class StateWatermarks {
    @Test
    void betweenGoesAsTheTwoInclusiveComparisonsSparksOptimizerMakesOfIt() {
      String between = evictions(joined(FIVE_BEFORE_TO_TEN_AFTER, "left_outer"), "between");
      assertThat(between).isEqualTo("StreamStreamJoin LeftOuter keys [STRING], left rows go at"
          + " event time <= watermark - 300001 ms, right rows at event time <= watermark"
          + " - 600001 ms");
      String comparisons = evictions(joined("l.time >= r.time - INTERVAL 5 MINUTES AND l.time"
          + " <= r.time + INTERVAL 10 MINUTES", "left_outer"), "comparisons");
      assertThat(comparisons).isEqualTo(between);
    }

    @Test
    void strictBoundsLoseTheMillisecond() {
      assertThat(evictions(joined("l.time > r.time - INTERVAL 5 MINUTES AND l.time < r.time"
          + " + INTERVAL 10 MINUTES", "left_outer"), "strict")).endsWith("left rows go at event"
              + " time <= watermark - 300000 ms, right rows at event time <= watermark"
              + " - 600000 ms");
      assertThat(evictions(joined("l.time > r.time AND l.time < r.time + INTERVAL 1 HOUR",
          "right_outer"), "hour")).endsWith("left rows go at event time <= watermark + 0 ms,"
              + " right rows at event time <= watermark - 3600000 ms");
    }

    @Test
    void aBoundInOneDirectionLetsOnlyOneSideGo() {
      assertThat(evictions(joined("l.time > r.time", "inner"), "one")).endsWith("left rows go"
          + " at event time <= watermark + 0 ms, right rows at never");
    }

    /**
     * Spark's check passes, for the condition bounds the left by the right's watermark; but the
     * left has no event time of its own to go by, so its rows stay and none is ever emitted.
     */
    @Test
    void aLeftOuterJoinWithAWatermarkOnTheRightOnlyNeverLetsARowGo() {
      Dataset<Row> joined = left.toDataset().alias("l")
          .join(right.toDataset().withWatermark("time", "10 minutes").alias("r"),
              expr("l.key = r.key AND " + FIVE_BEFORE_TO_TEN_AFTER), "left_outer");
      try (QueryTester t = pairs(joined)) {
        left.addData(tick("a", "12:00", 1));
        right.addData(tick("z", "12:30", 11));
        batch(t);
        t.expectNoBatch(); // no side's rows can go, so the watermark's move brings no batch
        left.addData(tick("b", "11:00", 2)); // the left has no watermark: never late
        right.addData(tick("y", "12:40", 12));
        batch(t);
        assertThat(metrics(t)).isEqualTo("total 4, updated 2, removed 0, late 0");
      }
      assertThat(evictions(joined, "trap")).endsWith("left rows go at never, right rows at"
          + " never");
    }

    /** Rows at 12:04:59.999 and 12:05, and W at 12:10, so that the bound is 12:05. */
    private void atTheBound(String range, List<?>... emitted) {
      try (QueryTester t = pairs(joined(range, "left_outer"))) {
        left.addData(tick("x", "12:04:59.999", 1), tick("y", "12:05", 2),
            tick("w", "12:20", 3));
        right.addData(tick("z", "12:20", 11));
        batch(t);
        batch(t, emitted);
        assertThat(watermark(t)).isEqualTo(at("12:10"));
      }
    }

    @Test
    void anInclusiveBoundKeepsARowAtTheBound() {
      // l.time >= r.time - 5 min: a right row at 12:10 could still meet a left row at 12:05.
      atTheBound(FIVE_BEFORE_TO_TEN_AFTER, row(1L, null));
    }

    @Test
    void aStrictBoundLetsARowAtTheBoundGo() {
      atTheBound("l.time > r.time - INTERVAL 5 MINUTES AND l.time < r.time + INTERVAL 10"
          + " MINUTES", row(1L, null), row(2L, null));
    }
  }

  /**
   * A row behind W but after Wlate is not late: it joins, and it may go at the end of the same
   * batch.
   */
  @Test
  void aRowBetweenTheTwoWatermarksJoinsAndGoesInTheSameBatch() {
    try (QueryTester t = pairs(joined(FIVE_BEFORE_TO_TEN_AFTER, "left_outer"))) {
      left.addData(tick("a", "12:00", 1));
      right.addData(tick("b", "12:00", 11));
      batch(t);
      left.addData(tick("c", "12:30", 2));
      right.addData(tick("d", "12:30", 12));
      batch(t);
      assertThat(watermark(t)).isEqualTo(at("11:50"));

      left.addData(tick("x", "11:50", 3), tick("a", "12:10", 4), tick("u", "12:11", 5));
      right.addData(tick("a", "12:12", 13));
      // At Wlate 11:50, W 12:20: x's row is late; a's and u's are not, though left rows at or
      // before 12:14:59.999 go. a's new left row meets the right row, then goes matched; a's
      // old one and u's go unmatched.
      batch(t, row(4L, 13L), row(1L, null), row(5L, null));
      assertThat(watermark(t)).isEqualTo(at("12:20"));
      // Stored: a's and u's left rows and a's right row; removed and counted: b's right row.
      assertThat(metrics(t)).isEqualTo("total 3, updated 3, removed 1, late 1");
    }
  }

  /**
   * A condition that puts a left row at least 5 minutes after the right row lets left rows go at
   * W + 5 min: one that arrives already behind that goes in its batch, as Spark evicts at the
   * end of every batch, not only when the watermark moves.
   */
  @Test
  void aRowThatCanMatchNothingMoreWhenItArrivesGoesInThatBatch() {
    Dataset<Row> joined = joined("l.time > r.time + INTERVAL 5 MINUTES AND l.time < r.time"
        + " + INTERVAL 20 MINUTES", "left_outer");
    try (QueryTester t = pairs(joined)) {
      left.addData(tick("a", "12:10", 1));
      right.addData(tick("b", "12:10", 11));
      batch(t);
      batch(t); // without data, at 12:00: left rows at or before 12:05 go, none yet
      left.addData(tick("c", "12:03", 2));
      batch(t, row(2L, null)); // still at 12:00: every right row to come is after 12:00
      assertThat(watermark(t)).isEqualTo(at("12:00"));
      assertThat(metrics(t)).isEqualTo("total 2, updated 1, removed 0, late 0");
      t.expectNoBatch();
    }
    assertThat(evictions(joined, "ahead")).endsWith("left rows go at event time <= watermark"
        + " + 300000 ms, right rows at event time <= watermark - 1200000 ms");
  }

  /**
   * The conjuncts over one side's columns alone are checked on that side's rows before they are
   * stored: a row that fails them can match nothing, so it is not stored, and an outer join that
   * keeps its side emits it with nulls at once. Here a value of 100 or more fails.
   */
  @Nested
  class ConjunctsOverOneSide {
    private QueryTester run(String joinType) {
      QueryTester t = pairs(joined("l.value < 100 AND r.value < 100 AND "
          + FIVE_BEFORE_TO_TEN_AFTER, joinType));
      left.addData(tick("a", "12:00", 1), tick("a", "12:00", 100));
      right.addData(tick("a", "12:01", 11), tick("a", "12:01", 111));
      return t;
    }

    @Test
    void inAnInnerJoinKeepTheRowsThatFailThemOutOfState() {
      try (QueryTester t = run("inner")) {
        batch(t, row(1L, 11L));
        assertThat(metrics(t)).isEqualTo("total 2, updated 2, removed 0, late 0");
      }
    }

    @Test
    void inALeftOuterJoinEmitALeftRowThatFailsThemAtOnce() {
      try (QueryTester t = run("left_outer")) {
        batch(t, row(1L, 11L), row(100L, null));
        assertThat(metrics(t)).isEqualTo("total 2, updated 2, removed 0, late 0");
      }
    }

    @Test
    void inARightOuterJoinEmitARightRowThatFailsThemAtOnce() {
      try (QueryTester t = run("right_outer")) {
        batch(t, row(1L, 11L), row(null, 111L));
        assertThat(metrics(t)).isEqualTo("total 2, updated 2, removed 0, late 0");
      }
    }

    @Test
    void inAFullOuterJoinEmitTheRowsOfEitherSideThatFailThemAtOnce() {
      try (QueryTester t = run("full_outer")) {
        batch(t, row(1L, 11L), row(100L, null), row(null, 111L));
        assertThat(metrics(t)).isEqualTo("total 2, updated 2, removed 0, late 0");
        batch(t); // without data, at 11:50: they are not emitted again
      }
    }
  }
}
