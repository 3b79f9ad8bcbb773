package io.sluice.api;

import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.max;
import static io.sluice.api.Functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Click;
import io.sluice.fixtures.KeyedAmount;
import io.sluice.testkit.QueryTester;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Aggregation state far beyond a handful of keys: it lives off heap in Chronicle Map, is reported
 * in progress, and a partition that runs out of room fails with an error naming the setting.
 */
class LargeStateTest {
  private static final int KEYS = 150_000;
  private static final int BATCHES = 10;
  private static final int NEW_KEYS_PER_BATCH = KEYS / BATCHES;
  /** Keys 0 to HOT - 1 get one more row in every batch after the first. */
  private static final int HOT = 1_000;

  /** Batch {@code b}: each new key {@code k} once with amount {@code k}, and the hot keys again. */
  private static List<KeyedAmount> batch(int b) {
    List<KeyedAmount> rows = new ArrayList<>();
    for (long k = (long) b * NEW_KEYS_PER_BATCH; k < (long) (b + 1) * NEW_KEYS_PER_BATCH; k++) {
      rows.add(new KeyedAmount(k, k));
    }
    if (b > 0) {
      for (long k = 0; k < HOT; k++) {
        rows.add(new KeyedAmount(k, 1));
      }
    }
    return rows;
  }

  private static Dataset<Row> totalsPerKey(MemoryStream<KeyedAmount> input) {
    return input.toDataset().groupBy("key").agg(count("*").as("n"), sum("amount").as("total"));
  }

  @Test
  void anAggregationOverManyKeysKeepsEveryKeyInOffHeapState() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<KeyedAmount> input = engine.memoryStream(KeyedAmount.class);
      List<Integer> written = new ArrayList<>();
      try (QueryTester updates = QueryTester.of(
          totalsPerKey(input).writeStream().outputMode(OutputMode.UPDATE))) {
        for (int b = 0; b < BATCHES; b++) {
          input.addData(batch(b));
          written.add(updates.runBatch().size());
        }
        StateOperatorProgress state = updates.lastProgress().stateOperators().get(0);

        assertThat(written.get(0)).isEqualTo(NEW_KEYS_PER_BATCH);
        assertThat(written.subList(1, BATCHES)).containsOnly(NEW_KEYS_PER_BATCH + HOT);
        assertThat(state.numRowsTotal()).isEqualTo(KEYS);
        assertThat(state.numRowsUpdated()).isEqualTo(NEW_KEYS_PER_BATCH + HOT);
        assertThat(state.memoryUsedBytes()).isPositive();
        assertThat(updates.lastProgress().batchId()).isEqualTo(BATCHES - 1);
      }

      try (QueryTester complete = QueryTester.of(
          totalsPerKey(input).writeStream().outputMode(OutputMode.COMPLETE))) {
        Map<Long, Row> byKey = new HashMap<>();
        for (Row r : complete.runBatch()) {
          assertThat(byKey.put(r.getLong("key"), r)).as("one row per key").isNull();
        }

        assertThat(byKey).hasSize(KEYS);
        assertThat(byKey.get(0L).values()).containsExactly(0L, 10L, 9L);
        assertThat(byKey.get(999L).values()).containsExactly(999L, 10L, 999L + 9);
        assertThat(byKey.get(1_000L).values()).containsExactly(1_000L, 1L, 1_000L);
        assertThat(byKey.get(149_999L).values()).containsExactly(149_999L, 1L, 149_999L);
        assertThat(byKey.values().stream().mapToLong(r -> r.getLong("total")).sum())
            .isEqualTo((long) KEYS * (KEYS - 1) / 2 + 9L * HOT);
      }
    }
  }

  @Test
  void aFullStatePartitionFailsWithAnErrorNamingTheSetting() {
    try (Sluice engine = Sluice.builder().maxKeysPerStatePartition(100).statePartitions(1)
        .build()) {
      MemoryStream<KeyedAmount> input = engine.memoryStream(KeyedAmount.class);
      try (QueryTester tester = QueryTester.of(
          totalsPerKey(input).writeStream().outputMode(OutputMode.UPDATE))) {
        input.addData(batch(0));

        assertThatThrownBy(tester::runBatch)
            .isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.STATE_FULL))
            .hasMessageContaining("is full")
            .hasMessageContaining("configured for 100")
            .hasMessageContaining("maxKeysPerStatePartition");
      }
    }
  }

  @Test
  void anAggregatedValueTooLargeForStateFailsWithAnErrorSayingSo() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      Dataset<Row> longest = clicks.toDataset().groupBy("page").agg(max("user").as("last"));
      try (QueryTester tester = QueryTester.of(
          longest.writeStream().outputMode(OutputMode.UPDATE))) {
        clicks.addData(Click.of("u".repeat(1_000_000), "home", 1));

        assertThatThrownBy(tester::runBatch)
            .isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.STATE_FULL))
            .hasMessageContaining("at aggregation state")
            .hasMessageMatching("(?s).*a state entry of \\d+ bytes does not fit state partition.*")
            .hasMessageContaining("aggregate shorter values");
      }
    }
  }

  @Test
  void aFullStatePartitionStopsAStartedQuery() throws InterruptedException {
    try (Sluice engine = Sluice.builder().maxKeysPerStatePartition(100).statePartitions(1)
        .build()) {
      MemoryStream<KeyedAmount> input = engine.memoryStream(KeyedAmount.class);
      input.addData(batch(0));
      StreamingQuery q = totalsPerKey(input).writeStream().outputMode(OutputMode.UPDATE)
          .format("memory").queryName("crowded").start();

      assertThatThrownBy(q::awaitTermination)
          .isInstanceOfSatisfying(SluiceException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.STATE_FULL))
          .hasMessageContaining("query 'crowded' failed in batch 0 at aggregation state")
          .hasMessageContaining("maxKeysPerStatePartition");
      assertThat(engine.table("crowded")).isEmpty();
    }
  }
}
