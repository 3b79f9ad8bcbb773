package io.sluice.api;

import static io.sluice.api.ApiTestSupport.batch;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.fixtures.Tick.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Sale;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that fails after its stateful operator wrote its state (a later stage throws) and is
 * run again in the same process, as {@link QueryTester#runBatch} allows, starts from the committed
 * state: it writes what its first attempt would have written, and the timers that fired in the
 * failed attempt fire again.
 */
class BatchRetryTest {
  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().statePartitions(2).clock(clock).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  /**
   * Passes counts through but throws the first time one is {@code n}: a stage after the stateful
   * operator, failing once the operator has written the batch's state.
   */
  private static MapFunction<KeyCount, KeyCount> failingOnceAt(long n) {
    boolean[] failed = {false};
    return c -> {
      if (c.n() == n && !failed[0]) {
        failed[0] = true;
        throw new IllegalStateException("transient failure at " + c);
      }
      return c;
    };
  }

  /** The next batch fails once, then runs again and writes exactly {@code rows}. */
  private static void failsThenWrites(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    assertThatThrownBy(tester::runBatch).hasMessageContaining("transient failure");
    assertThat(tester.nextBatchId()).as("the failed batch did not commit").isEqualTo(before);
    batch(tester, rows);
  }

  private Dataset<KeyCount> transform(StatefulProcessor<String, Tick, KeyCount> processor,
      TimeMode mode, OutputMode outputMode) {
    return ticks.toDataset().groupByKey(Tick::key, String.class)
        .transformWithState(processor, mode, outputMode, KeyCount.class);
  }

  @Test
  void transformWithStateRunAgainReadsTheCommittedValues() {
    Dataset<KeyCount> counts = transform(new TransformWithStateTest.RunningCount(),
        TimeMode.NONE, OutputMode.UPDATE).map(failingOnceAt(2), KeyCount.class);
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1));
      batch(t, row("a", 1L));
      ticks.addData(at("a", 2));
      failsThenWrites(t, row("a", 2L));
      ticks.addData(at("a", 3));
      batch(t, row("a", 3L));
    }
  }

  @Test
  void transformWithStateTimerThatFiredInTheFailedAttemptFiresAgain() {
    Dataset<KeyCount> idle = transform(new TransformWithStateTest.IdleAfter(),
        TimeMode.PROCESSING_TIME, OutputMode.APPEND).map(failingOnceAt(1), KeyCount.class);
    try (QueryTester t = QueryTester.of(idle.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1));
      batch(t); // at 0 s: a's timer at 10 s
      clock.advance(Duration.ofSeconds(11));
      // At 11 s, without rows: the timer fires, the stage after it fails; it fires again.
      failsThenWrites(t, row("a", 1L));
      t.expectNoBatch();
    }
  }

  @Test
  void mapGroupsWithStateRunAgainReadsTheCommittedState() {
    Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
        .mapGroupsWithState(GroupsWithStateTest.RUNNING_COUNT, Count.class, KeyCount.class)
        .map(failingOnceAt(2), KeyCount.class);
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), at("b", 1));
      batch(t, row("a", 1L), row("b", 1L));
      ticks.addData(at("a", 2));
      failsThenWrites(t, row("a", 2L));
      ticks.addData(at("a", 3), at("b", 3));
      batch(t, row("a", 3L), row("b", 2L));
    }
  }

  @Test
  void aTimeoutThatFiredInTheFailedAttemptFiresAgain() {
    Dataset<KeyCount> idle = ticks.toDataset().groupByKey(Tick::key, String.class)
        .flatMapGroupsWithState(GroupsWithStateTest.IDLE_FOR_10_S, OutputMode.APPEND, Count.class,
            KeyCount.class, GroupStateTimeout.PROCESSING_TIME_TIMEOUT)
        .map(failingOnceAt(1), KeyCount.class);
    try (QueryTester t = QueryTester.of(idle.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1));
      batch(t); // at 0 s: a times out at 10 s
      clock.advance(Duration.ofSeconds(11));
      failsThenWrites(t, row("a", 1L));
      t.expectNoBatch();
    }
  }

  @Test
  void anAggregationRunAgainMergesIntoTheCommittedGroups() {
    Dataset<KeyCount> counts = ticks.toDataset().groupBy("key").count()
        .map(r -> new KeyCount(r.getString("key"), r.getLong("count")), KeyCount.class)
        .map(failingOnceAt(3), KeyCount.class);
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), at("a", 2));
      batch(t, row("a", 2L));
      ticks.addData(at("a", 3), at("b", 3));
      failsThenWrites(t, row("a", 3L), row("b", 1L));
      ticks.addData(at("a", 4));
      batch(t, row("a", 4L));
    }
  }

  /**
   * With a checkpoint the failed attempt's change logs are dropped with it: a query restarted
   * after the run again finds the state that run wrote, distinct values included.
   */
  @Test
  void aDistinctCountRunAgainWithACheckpointKeepsTheRunAgainsState(@TempDir Path checkpoint) {
    MemoryStream<Sale> sales = engine.memoryStream(Sale.class);
    DataStreamWriter<KeyCount> writer = sales.toDataset().groupBy("region")
        .agg(Functions.countDistinct("amount").as("amounts"))
        .map(r -> new KeyCount(r.getString("region"), r.getLong("amounts")), KeyCount.class)
        .map(failingOnceAt(2), KeyCount.class)
        .writeStream().outputMode(OutputMode.UPDATE)
        .option("checkpointLocation", checkpoint.toString());
    try (QueryTester t = QueryTester.of(writer)) {
      sales.addData(new Sale("north", "p", 1, null, 1.0));
      batch(t, row("north", 1L));
      sales.addData(new Sale("north", "p", 2, null, 1.0), new Sale("north", "p", 1, null, 1.0));
      failsThenWrites(t, row("north", 2L));
    }
    sales.addData(new Sale("north", "p", 2, null, 1.0), new Sale("north", "p", 3, null, 1.0));
    try (QueryTester t = QueryTester.of(writer)) {
      batch(t, row("north", 3L));
    }
  }
}
