package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
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
 * {@code dropDuplicates} and {@code dropDuplicatesWithinWatermark} as Spark defines them: the
 * first row of a key passes, later ones are dropped, in the same batch or any later one, until
 * the watermark lets the key go. Expected rows are worked out by hand.
 */
class DeduplicationTest {
  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static List<Object> tick(String key, long seconds) {
    return row(key, ms(seconds), 1L);
  }

  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  private static StateOperatorProgress state(QueryTester tester) {
    return tester.lastProgress().stateOperators().get(0);
  }

  @Test
  void withoutAWatermarkEveryKeyIsRememberedForever() {
    Dataset<Tick> firsts = ticks.toDataset().dropDuplicates("key");
    try (QueryTester t = QueryTester.of(firsts.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1), at("b", 2), at("a", 3));
      batch(t, tick("a", 1), tick("b", 2));
      ticks.addData(at("a", 100), at("c", 4));
      batch(t, tick("c", 4));
      assertThat(state(t).numRowsTotal()).isEqualTo(3);
      t.expectNoBatch();
    }
  }

  @Test
  void withTheEventTimeAmongTheKeysTheWatermarkEvictsKeysAndDropsLateRows() {
    Dataset<Tick> firsts = ticks.toDataset().withWatermark("time", "5 seconds")
        .dropDuplicates("key", "time");
    try (QueryTester t = QueryTester.of(firsts.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1), at("a", 1), at("b", 12));
      batch(t, tick("a", 1), tick("b", 12));
      // No data, watermark 7 s: (a, 1 s) is evicted.
      batch(t);
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
      assertThat(state(t).numRowsTotal()).isEqualTo(1);
      // (a, 1 s) is late now; (b, 12 s) a duplicate; (c, 20 s) new.
      ticks.addData(at("a", 1), at("b", 12), at("c", 20));
      batch(t, tick("c", 20));
      assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
    }
  }

  @Test
  void withinTheWatermarkAKeyIsForgottenDelayAfterItsFirstRow() {
    Dataset<Tick> firsts = ticks.toDataset().withWatermark("time", "5 seconds")
        .dropDuplicatesWithinWatermark("key");
    try (QueryTester t = QueryTester.of(firsts.writeStream().outputMode(OutputMode.APPEND))) {
      // a expires at 6 s, b at 15 s. Watermark after: 5 s.
      ticks.addData(at("a", 1), at("a", 3), at("b", 10));
      batch(t, tick("a", 1), tick("b", 10));
      batch(t); // no data; nothing expires at 5 s
      assertThat(state(t).numRowsTotal()).isEqualTo(2);
      // a is still remembered, though its time differs. Watermark after: 25 s.
      ticks.addData(at("a", 8), at("c", 30));
      batch(t, tick("c", 30));
      batch(t); // no data; a and b expire
      assertThat(state(t).numRowsRemoved()).isEqualTo(2);
      ticks.addData(at("a", 28));
      batch(t, tick("a", 28));
    }
  }

  @Test
  void anAggregationCanCountTheDeduplicatedRows() {
    Dataset<Row> counts = ticks.toDataset().dropDuplicates("key", "time").groupBy("key").count();
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), at("a", 1), at("a", 2), at("b", 1));
      batch(t, row("a", 2L), row("b", 1L));
      ticks.addData(at("a", 2), at("a", 3));
      batch(t, row("a", 3L));
    }
  }

  /** Two stateful operators in one query share the watermark, as in Spark. */
  @Test
  void aWindowedAggregationCanFollowAWatermarkedDeduplication() {
    Dataset<Row> counts = ticks.toDataset().withWatermark("time", "5 seconds")
        .dropDuplicates("key", "time")
        .groupBy(Functions.window(Functions.col("time"), "10 seconds")).count();
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1), at("a", 1), at("b", 3), at("a", 12));
      batch(t);
      batch(t); // no data, watermark 7 s: the keys at 1 s and 3 s leave; [0, 10) stays open
      assertThat(state(t).operatorName()).isEqualTo("dedupe");
      assertThat(state(t).numRowsRemoved()).isEqualTo(2);
      ticks.addData(at("a", 1), at("c", 16));
      batch(t);
      assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
      assertThat(t.lastProgress().stateOperators().get(1).numRowsDroppedByWatermark()).isZero();
      batch(t, row(new TimeWindow(ms(0), ms(10)), 2L));
    }
  }

  @Test
  void withinWatermarkNeedsAWatermark() {
    Dataset<Tick> firsts = ticks.toDataset().dropDuplicatesWithinWatermark("key");
    assertThatThrownBy(() -> firsts.writeStream().format("memory").queryName("d").start())
        .hasMessageContaining("dropDuplicatesWithinWatermark needs a watermark");
  }

  @Test
  void anUnknownColumnIsNamed() {
    assertThatThrownBy(() -> ticks.toDataset().dropDuplicates("nope"))
        .hasMessageContaining("column 'nope' not found; available: key, time, value");
  }
}
