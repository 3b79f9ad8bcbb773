package io.sluice.api;

import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.values;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.sessionWindow;
import static io.sluice.api.Functions.sum;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Keeper;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state reader, like Spark's state data source: {@code read().state(checkpoint)} shows what a
 * stateful operator of a query kept in its checkpoint after a batch, a row per group, key or
 * session, whether the query still runs or not. Expected rows are worked out by hand.
 */
class StateReaderTest {
  @TempDir
  Path checkpoint;

  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static Tick tick(String key, long value) {
    return new Tick(key, Tick.T0, value);
  }

  /** A tester of {@code query} that checkpoints in {@link #checkpoint}. */
  private QueryTester tester(Dataset<?> query, OutputMode mode) {
    return QueryTester.of(query.writeStream().outputMode(mode)
        .option("checkpointLocation", checkpoint.toString()));
  }

  /** Runs a batch over the data added since the last one; it must be one. */
  private static void batch(QueryTester tester) {
    long before = tester.nextBatchId();
    tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
  }

  private DataReader reader(String... options) {
    DataReader reader = engine.read();
    for (int i = 0; i < options.length; i += 2) {
      reader.option(options[i], options[i + 1]);
    }
    return reader;
  }

  /** The checkpoint's state, with {@code options} as name, value pairs. */
  private Dataset<Row> state(String... options) {
    return reader(options).state(checkpoint.toString());
  }

  /** The rows of {@code table} without their partition, in any order. */
  private static List<List<Object>> rows(Dataset<Row> table) {
    List<String> names = table.schema().names();
    return values(table.select(names.subList(1, names.size()).toArray(String[]::new))
        .collectAsList());
  }

  private void assertFails(String message, String... options) {
    assertThatThrownBy(() -> state(options)).isInstanceOf(SluiceException.class)
        .hasMessage(message);
  }

  @Nested
  class AggregationState {
    /** Totals per key: a 6, b 2 after batch 0; a 16 after batch 1. */
    private void runTotals() {
      Dataset<Row> totals = ticks.toDataset().groupBy("key")
          .agg(sum("value").as("total"), count("*").as("n"));
      try (QueryTester t = tester(totals, OutputMode.UPDATE)) {
        ticks.addData(tick("a", 5), tick("b", 2), tick("a", 1));
        batch(t);
        ticks.addData(tick("a", 10));
        batch(t);
      }
    }

    @Test
    void eachGroupIsARowWithItsGroupingColumnsAndAggregatesByTheirNames() {
      runTotals();
      Dataset<Row> state = state();
      assertThat(state.schema().names()).containsExactly("partition_id", "key", "total", "n");
      assertThat(rows(state)).containsExactlyInAnyOrder(row("a", 16L, 3L), row("b", 2L, 1L));
      assertThat(state.collectAsList()).allSatisfy(r ->
          assertThat((Integer) r.get("partition_id")).isBetween(0, 1));
    }

    @Test
    void anEarlierBatchShowsTheAggregatesAsThatBatchLeftThem() {
      runTotals();
      assertThat(rows(state("batchId", "0")))
          .containsExactlyInAnyOrder(row("a", 6L, 2L), row("b", 2L, 1L));
    }

    @Test
    void anAggregateThatIsNoOutputColumnIsNamedAsSparkNamesIt() {
      Dataset<Row> means = ticks.toDataset().groupBy("key")
          .agg(expr("sum(value) / count(*)").as("mean"));
      try (QueryTester t = tester(means, OutputMode.UPDATE)) {
        ticks.addData(tick("a", 4), tick("a", 2));
        batch(t);
      }
      Dataset<Row> state = state();
      assertThat(state.schema().names())
          .containsExactly("partition_id", "key", "sum(value)", "count(1)");
      assertThat(rows(state)).containsExactly(row("a", 6L, 2L));
    }

    @Test
    void aWindowIsAWindowValueAsInTheQuerysOutput() {
      Dataset<Row> counts = ticks.toDataset().withWatermark("time", "5 seconds")
          .groupBy(window(col("time"), "10 seconds"), col("key")).agg(count("*").as("n"));
      try (QueryTester t = tester(counts, OutputMode.UPDATE)) {
        ticks.addData(at("a", 1), at("a", 3), at("b", 12));
        batch(t);
      }
      Dataset<Row> state = state();
      assertThat(state.schema().fields().get(1)).isEqualTo(Field.nullable("window",
          DataType.WINDOW));
      assertThat(rows(state)).containsExactlyInAnyOrder(
          row(new TimeWindow(ms(0), ms(10)), "a", 2L),
          row(new TimeWindow(ms(10), ms(20)), "b", 1L));
    }

    @Test
    void aSessionWindowAggregationHasARowPerSessionUntilTheWatermarkClosesIt() {
      Dataset<Row> sessions = ticks.toDataset().withWatermark("time", "2 seconds")
          .groupBy(sessionWindow(col("time"), "5 seconds"), col("key")).agg(count("*").as("n"));
      try (QueryTester t = tester(sessions, OutputMode.APPEND)) {
        // a: [1,6) and [3,8) merge into [1,8); [10,15) is apart. b: [2,7). Watermark after: 8 s.
        ticks.addData(at("a", 1), at("a", 3), at("b", 2), at("a", 10));
        batch(t);
        batch(t);
      }
      assertThat(rows(state("batchId", "0"))).containsExactlyInAnyOrder(
          row(new TimeWindow(ms(1), ms(8)), "a", 2L),
          row(new TimeWindow(ms(10), ms(15)), "a", 1L),
          row(new TimeWindow(ms(2), ms(7)), "b", 1L));
      assertThat(rows(state())).containsExactly(row(new TimeWindow(ms(10), ms(15)), "a", 1L));
    }
  }

  @Nested
  class DeduplicationState {
    @Test
    void eachKeyItRemembersIsARowOfTheKeyColumns() {
      Dataset<Tick> firsts = ticks.toDataset().dropDuplicates("key", "time");
      try (QueryTester t = tester(firsts, OutputMode.APPEND)) {
        ticks.addData(at("a", 1), at("b", 2), at("a", 1), at("a", 3));
        batch(t);
      }
      Dataset<Row> state = state();
      assertThat(state.schema().names()).containsExactly("partition_id", "key", "time");
      assertThat(rows(state)).containsExactlyInAnyOrder(row("a", ms(1)), row("b", ms(2)),
          row("a", ms(3)));
    }

    @Test
    void withinAWatermarkEachKeyShowsWhenItExpires() {
      Dataset<Tick> firsts = ticks.toDataset().withWatermark("time", "5 seconds")
          .dropDuplicatesWithinWatermark("key");
      try (QueryTester t = tester(firsts, OutputMode.APPEND)) {
        // Each key expires 5 s after its first row's event time.
        ticks.addData(at("a", 1), at("b", 3), at("a", 2));
        batch(t);
      }
      Dataset<Row> state = state();
      assertThat(state.schema().fields().get(2))
          .isEqualTo(Field.required("expires_at", DataType.TIMESTAMP));
      assertThat(rows(state)).containsExactlyInAnyOrder(row("a", ms(6)), row("b", ms(8)));
    }
  }

  /**
   * A stream-stream join's state, one side at a time as Spark's {@code joinSide}: a row per row
   * the side keeps, with its join key, its columns and whether it has matched yet.
   */
  @Nested
  class StreamStreamJoinState {
    private final MemoryStream<Tick> rights = engine.memoryStream(Tick.class);

    private static Tick event(String key, long seconds, long value) {
      return new Tick(key, Tick.T0.plusSeconds(seconds), value);
    }

    private QueryTester joinTester(Column condition) {
      Dataset<Row> joined = ticks.toDataset().alias("l").join(rights.toDataset().alias("r"),
          condition);
      return tester(joined.select("l.value", "r.value"), OutputMode.APPEND);
    }

    /**
     * Joined on key. Batch 0: left (a, 1 s, 1), kept unmatched. Batch 1: right (a, 2 s, 2)
     * matches it, right (b, 2 s, 3) matches nothing; all are kept, as there is no watermark.
     */
    private void runJoinOnKey() {
      try (QueryTester t = joinTester(expr("l.key = r.key"))) {
        ticks.addData(event("a", 1, 1));
        batch(t);
        rights.addData(event("a", 2, 2), event("b", 2, 3));
        batch(t);
      }
    }

    @Test
    void eachSideShowsTheRowsItKeepsWithTheirKeyAndWhetherTheyMatched() {
      runJoinOnKey();
      Dataset<Row> lefts = state("joinSide", "left");
      assertThat(lefts.schema().names()).containsExactly("partition_id", "key_key",
          "value_key", "value_time", "value_value", "matched");
      assertThat(rows(lefts)).containsExactly(row("a", "a", ms(1), 1L, true));
      assertThat(rows(state("joinSide", "right"))).containsExactlyInAnyOrder(
          row("a", "a", ms(2), 2L, true), row("b", "b", ms(2), 3L, false));
    }

    @Test
    void anEarlierBatchShowsTheRowsBeforeAnyMatched() {
      runJoinOnKey();
      assertThat(rows(state("joinSide", "left", "batchId", "0")))
          .containsExactly(row("a", "a", ms(1), 1L, false));
      assertThat(rows(state("joinSide", "right", "batchId", "0"))).isEmpty();
    }

    @Test
    void eachSideNamesTheKeyPartsAsItsColumnsAnExpressionAsSparkDoes() {
      try (QueryTester t = joinTester(expr("l.key = r.key AND l.value + 1 = r.value"))) {
        ticks.addData(event("a", 1, 1));
        rights.addData(event("a", 1, 5));
        batch(t);
      }
      // The left's key is its key column, then l.value + 1, which is no column: (a, 2).
      Dataset<Row> lefts = state("operator", "join", "joinSide", "LEFT");
      assertThat(lefts.schema().fields().subList(1, 3)).containsExactly(
          Field.nullable("key_key", DataType.STRING), Field.nullable("key_field1", DataType.LONG));
      assertThat(rows(lefts)).containsExactly(row("a", 2L, "a", ms(1), 1L, false));
      assertThat(state("joinSide", "right").schema().names().subList(1, 3))
          .containsExactly("key_key", "key_value");
    }

    @Test
    void theSideMustBeChosen() {
      runJoinOnKey();
      assertFails("[Sluice/InvalidOption] the stream-stream join state in "
          + checkpoint.resolve("state/0/join") + " keeps the rows of two sides: choose one with"
          + " option joinSide: left or right");
      // Spark's default, none, reads neither side as rows of its columns.
      assertFails("[Sluice/InvalidOption] option joinSide must be left or right, got 'none'",
          "joinSide", "none");
    }

    @Test
    void theJoinWritesItsLayoutWhenItsQueryStarts() throws Exception {
      runJoinOnKey();
      Path layout = checkpoint.resolve("state/0/join.layout");
      Files.delete(layout);
      assertFails("[Sluice/Checkpoint] the state beside " + layout + " cannot be read without"
          + " that file, which is missing: checkpoints written before Sluice recorded state"
          + " layouts lack it, and starting their query once writes it", "joinSide", "left");
      try (QueryTester restarted = joinTester(expr("l.key = r.key"))) {
        assertThat(restarted.nextBatchId()).as("no batch ran").isEqualTo(2);
        assertThat(rows(state("joinSide", "left")))
            .containsExactly(row("a", "a", ms(1), 1L, true));
      }
    }
  }

  @Nested
  class ChoosingTheOperator {
    /** Deduplicates (a, 1 s), (b, 3 s), (a, 12 s), then counts them per 10-second window. */
    private void runDeduplicatedCounts() {
      Dataset<Row> counts = ticks.toDataset().withWatermark("time", "5 seconds")
          .dropDuplicates("key", "time")
          .groupBy(window(col("time"), "10 seconds")).count();
      try (QueryTester t = tester(counts, OutputMode.APPEND)) {
        ticks.addData(at("a", 1), at("a", 1), at("b", 3), at("a", 12));
        batch(t);
      }
    }

    @Test
    void withSeveralOperatorsOptionOperatorPicksOne() {
      runDeduplicatedCounts();
      assertThat(rows(state("operator", "deduplicate")))
          .containsExactlyInAnyOrder(row("a", ms(1)), row("b", ms(3)), row("a", ms(12)));
      assertThat(rows(state("operator", "aggregate"))).containsExactlyInAnyOrder(
          row(new TimeWindow(ms(0), ms(10)), 2L), row(new TimeWindow(ms(10), ms(20)), 1L));
    }

    @Test
    void withSeveralOperatorsAndNoOptionItFailsListingThem() {
      runDeduplicatedCounts();
      assertFails("[Sluice/Checkpoint] checkpoint " + checkpoint + " holds the state of several"
          + " operators; choose one with option operator: aggregate, deduplicate");
    }

    @Test
    void anUnknownOperatorFailsNamingTheKindsAndTheOnesTheCheckpointHolds() {
      runDeduplicatedCounts();
      assertFails("[Sluice/InvalidOption] option operator must be one of aggregate, deduplicate,"
          + " groups, join, transform, got 'window'; checkpoint " + checkpoint + " holds the state"
          + " of: aggregate, deduplicate", "operator", "window");
    }

    @Test
    void anOperatorTheCheckpointLacksFailsNamingTheOnesItHolds() {
      runDeduplicatedCounts();
      assertFails("[Sluice/Checkpoint] checkpoint " + checkpoint + " holds no state of operator"
          + " 'groups'; available: aggregate, deduplicate", "operator", "groups");
    }

    @Test
    void withOneOperatorTheOptionMayNameIt() {
      Dataset<Tick> firsts = ticks.toDataset().dropDuplicates("key");
      try (QueryTester t = tester(firsts, OutputMode.APPEND)) {
        ticks.addData(at("a", 1));
        batch(t);
      }
      assertThat(rows(state("operator", "deduplicate"))).containsExactly(row("a"));
    }
  }

  @Nested
  class CheckpointsItCannotRead {
    private void runCounts(QueryTester t) {
      ticks.addData(tick("a", 1));
      batch(t);
      ticks.addData(tick("b", 1));
      batch(t);
    }

    private Dataset<Row> counts() {
      return ticks.toDataset().groupBy("key").count();
    }

    @Test
    void aCheckpointOfAStatelessQueryHasNoStateToShow() {
      try (QueryTester t = tester(ticks.toDataset().filter("value > 0"), OutputMode.APPEND)) {
        runCounts(t);
      }
      assertFails("[Sluice/Checkpoint] checkpoint " + checkpoint + " holds no state of a"
          + " stateful operator: " + checkpoint.resolve("state/0") + " has none of the folders"
          + " aggregate, deduplicate, groups, join, transform");
    }

    @Test
    void aFolderThatDoesNotExistIsNoCheckpoint() {
      Path missing = checkpoint.resolve("nowhere");
      assertThatThrownBy(() -> engine.read().state(missing.toString()))
          .hasMessage("[Sluice/Checkpoint] there is no checkpoint at " + missing
              + ": the folder does not exist");
    }

    @Test
    void aBatchNeverCommittedFailsNamingItsCommitFile() {
      try (QueryTester t = tester(counts(), OutputMode.UPDATE)) {
        runCounts(t);
      }
      assertFails("[Sluice/Checkpoint] checkpoint " + checkpoint + " has no committed batch 2 to"
          + " show the state of: " + checkpoint.resolve("commits/2") + " is missing; its commits"
          + " log holds batches 0 to 1", "batchId", "2");
    }

    @Test
    void aBatchTheCheckpointNoLongerKeepsFailsNamingItsCommitFile() {
      try (Sluice keepingTwo = Sluice.builder().minBatchesToRetain(2).build()) {
        MemoryStream<Tick> input = keepingTwo.memoryStream(Tick.class);
        try (QueryTester t = tester(input.toDataset().groupBy("key").count(),
            OutputMode.UPDATE)) {
          for (int b = 0; b < 4; b++) {
            input.addData(tick("a", b));
            batch(t);
          }
        }
      }
      assertFails("[Sluice/Checkpoint] checkpoint " + checkpoint + " has no committed batch 0 to"
          + " show the state of: " + checkpoint.resolve("commits/0") + " is missing; its commits"
          + " log holds batches 2 to 3", "batchId", "0");
    }

    @Test
    void aCheckpointFromBeforeStateLayoutsNeedsItsQueryToStartOnce() throws Exception {
      try (QueryTester t = tester(counts(), OutputMode.UPDATE)) {
        runCounts(t);
      }
      Path layout = checkpoint.resolve("state/0/aggregate.layout");
      Files.delete(layout);
      assertFails("[Sluice/Checkpoint] the state beside " + layout + " cannot be read without"
          + " that file, which is missing: checkpoints written before Sluice recorded state"
          + " layouts lack it, and starting their query once writes it");
      try (QueryTester restarted = tester(counts(), OutputMode.UPDATE)) {
        assertThat(restarted.nextBatchId()).as("no batch ran").isEqualTo(2);
        assertThat(rows(state())).containsExactlyInAnyOrder(row("a", 1L), row("b", 1L));
      }
    }
  }

  @Nested
  class WhileTheQueryRuns {
    @Test
    void itShowsTheStateOfTheLastCommittedBatch() {
      StreamingQuery q = ticks.toDataset().groupBy("key").agg(sum("value").as("total"))
          .writeStream().format("memory").queryName("totals").outputMode(OutputMode.UPDATE)
          .option("checkpointLocation", checkpoint.toString()).start();
      try {
        ticks.addData(tick("a", 5), tick("a", 1));
        q.processAllAvailable();
        assertThat(rows(state())).containsExactly(row("a", 6L));
        ticks.addData(tick("a", 10), tick("b", 2));
        q.processAllAvailable();
        assertThat(rows(state())).containsExactlyInAnyOrder(row("a", 16L), row("b", 2L));
        assertThat(q.isActive()).isTrue();
      } finally {
        q.stop();
      }
    }
  }

  /**
   * transformWithState's state, one variable at a time as Spark's {@code stateVarName}: a row
   * per value, list element or map entry with when it expires, or with {@code
   * readRegisteredTimers} a row per timer.
   */
  @Nested
  class TransformWithStateState {
    private final ManualClock clock = new ManualClock(1_000);
    private final Sluice timed = Sluice.builder().statePartitions(2).clock(clock).build();
    private final MemoryStream<Tick> timedTicks = timed.memoryStream(Tick.class);

    @AfterEach
    void closeTimed() {
      timed.close();
    }

    /** Batch 0 at 1 s: a gets 7 and 7, b 8; batch 1 at 3 s: a gets 9. */
    private void runKeeper() {
      Dataset<KeyCount> kept = timedTicks.toDataset().groupByKey(Tick::key, String.class)
          .transformWithState(new Keeper(), TimeMode.PROCESSING_TIME, OutputMode.UPDATE,
              KeyCount.class);
      try (QueryTester t = QueryTester.of(kept.writeStream().outputMode(OutputMode.UPDATE)
          .option("checkpointLocation", checkpoint.toString()))) {
        timedTicks.addData(tick("a", 7), tick("b", 8), tick("a", 7));
        batch(t);
        clock.advance(java.time.Duration.ofSeconds(2));
        timedTicks.addData(tick("a", 9));
        batch(t);
      }
    }

    private Dataset<Row> transformState(String... options) {
      DataReader reader = timed.read();
      for (int i = 0; i < options.length; i += 2) {
        reader.option(options[i], options[i + 1]);
      }
      return reader.state(checkpoint.toString());
    }

    @Test
    void aValueStateIsARowPerKey() {
      runKeeper();
      Dataset<Row> count = transformState("stateVarName", "count");
      assertThat(count.schema().names())
          .containsExactly("partition_id", "key", "value_n", "expires_at");
      assertThat(rows(count)).containsExactlyInAnyOrder(row("a", 3L, null), row("b", 1L, null));
      assertThat(rows(transformState("stateVarName", "count", "batchId", "0")))
          .containsExactlyInAnyOrder(row("a", 2L, null), row("b", 1L, null));
    }

    @Test
    void aListStateIsARowPerElementWithItsExpiry() {
      runKeeper();
      assertThat(rows(transformState("stateVarName", "recent"))).containsExactlyInAnyOrder(
          row("a", 7L, 11_000L), row("a", 7L, 11_000L), row("a", 9L, 13_000L),
          row("b", 8L, 11_000L));
    }

    @Test
    void aMapStateIsARowPerEntry() {
      runKeeper();
      Dataset<Row> byValue = transformState("stateVarName", "byValue");
      assertThat(byValue.schema().names())
          .containsExactly("partition_id", "key", "user_key", "value", "expires_at");
      assertThat(rows(byValue)).containsExactlyInAnyOrder(row("a", 7L, 2L, null),
          row("a", 9L, 1L, null), row("b", 8L, 1L, null));
    }

    @Test
    void readRegisteredTimersShowsEachKeysTimers() {
      runKeeper();
      assertThat(rows(transformState("readRegisteredTimers", "true")))
          .containsExactlyInAnyOrder(row("a", 61_000L), row("a", 63_000L), row("b", 61_000L));
    }

    @Test
    void theTimersAndAVariableAreNotReadTogether() {
      runKeeper();
      assertThatThrownBy(() -> transformState("stateVarName", "count",
          "readRegisteredTimers", "true")).hasMessageContaining("options stateVarName and"
              + " readRegisteredTimers conflict: a table shows one state variable, or the timers");
      assertThatThrownBy(() -> transformState("readRegisteredTimers", "yes"))
          .hasMessageContaining("option readRegisteredTimers must be true or false, got 'yes'");
    }

    @Test
    void withSeveralVariablesStateVarNameIsNeeded() {
      runKeeper();
      assertThatThrownBy(() -> transformState()).hasMessageContaining(
          "has the variables [count, recent, byValue]: choose one with option stateVarName, or"
              + " read the timers with option readRegisteredTimers");
      assertThatThrownBy(() -> transformState("stateVarName", "total")).hasMessageContaining(
          "option stateVarName names no state variable of the transformWithState state in ")
          .hasMessageContaining("got 'total', available: [count, recent, byValue]");
    }
  }
}
