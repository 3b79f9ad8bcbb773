package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.fixtures.Tick.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transformWithState} with an initial state, as Spark 4's {@code
 * StatefulProcessorWithInitialState}: each key of a bounded dataset is handed to {@code
 * handleInitialState} once, in the query's first batch, before that batch's rows; a query that
 * restarts from its checkpoint keeps the state it made and does not read it again.
 */
class TransformWithStateInitialStateTest {
  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().statePartitions(2).clock(clock).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  /**
   * Counts rows per key on top of the initial count, which it adds to what the key already has,
   * so that an initial state handed over twice would show; a key whose initial count is 100 also
   * gets a processing-time timer at 10 s, which emits the count.
   */
  static final class CountFromInitial
      extends StatefulProcessorWithInitialState<String, Tick, KeyCount, KeyCount> {
    final List<String> calls = new ArrayList<>();
    private ValueState<Count> count;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      count = getHandle().getValueState("count", Count.class);
    }

    @Override
    public void handleInitialState(String key, KeyCount initialState, TimerValues timerValues) {
      calls.add("initial " + key);
      long before = count.exists() ? count.get().n() : 0;
      count.update(new Count(before + initialState.n()));
      if (initialState.n() == 100) {
        getHandle().registerTimer(10_000);
      }
    }

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      calls.add("rows " + key);
      long n = count.exists() ? count.get().n() : 0;
      for (; rows.hasNext(); rows.next()) {
        n++;
      }
      count.update(new Count(n));
      return List.of(new KeyCount(key, n));
    }

    @Override
    public Iterable<KeyCount> handleExpiredTimer(String key, TimerValues timerValues,
        ExpiredTimerInfo expiredTimerInfo) {
      return List.of(new KeyCount(key + " at " + expiredTimerInfo.getExpiryTimeInMs(),
          count.get().n()));
    }
  }

  private KeyValueGroupedDataset<String, KeyCount> initial(Sluice on, KeyCount... counts) {
    return on.createDataset(List.of(counts), KeyCount.class).groupByKey(KeyCount::key,
        String.class);
  }

  private Dataset<KeyCount> counted(CountFromInitial processor, TimeMode mode,
      KeyValueGroupedDataset<String, KeyCount> initialState) {
    return ticks.toDataset().groupByKey(Tick::key, String.class)
        .transformWithState(processor, mode, OutputMode.UPDATE, initialState, KeyCount.class);
  }

  @Test
  void theFirstBatchStartsFromTheInitialStateBeforeItsRows() {
    CountFromInitial processor = new CountFromInitial();
    try (QueryTester t = QueryTester.of(counted(processor, TimeMode.NONE,
        initial(engine, new KeyCount("a", 10), new KeyCount("c", 5)))
        .writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), at("b", 2));
      t.expectBatch(row("a", 11L), row("b", 1L));
      assertThat(processor.calls.subList(0, 2))
          .containsExactlyInAnyOrder("initial a", "initial c");
      assertThat(processor.calls.subList(2, 4)).containsExactlyInAnyOrder("rows a", "rows b");
      assertThat(t.lastProgress().stateOperators().get(0).numRowsTotal()).isEqualTo(3);
      // c had no rows in the first batch, but keeps its initial count.
      ticks.addData(at("c", 3));
      t.expectBatch(row("c", 6L));
      assertThat(processor.calls).filteredOn(c -> c.startsWith("initial")).hasSize(2);
    }
  }

  @Test
  void handleInitialStateMayRegisterTimers() {
    try (QueryTester t = QueryTester.of(counted(new CountFromInitial(),
        TimeMode.PROCESSING_TIME, initial(engine, new KeyCount("a", 100)))
        .writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("b", 1));
      t.expectBatch(row("b", 1L));
      clock.advance(Duration.ofSeconds(10));
      ticks.addData(at("b", 2));
      assertThat(multiset(t.runBatch()))
          .isEqualTo(multiset(List.of(row("b", 2L), row("a at 10000", 100L))));
    }
  }

  @Test
  void aKeyAppearsOnceInTheInitialState() {
    try (QueryTester t = QueryTester.of(counted(new CountFromInitial(), TimeMode.NONE,
        initial(engine, new KeyCount("a", 1), new KeyCount("a", 2)))
        .writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1));
      assertThatThrownBy(t::runBatch).hasMessageContaining(
          "[STATEFUL_PROCESSOR_CANNOT_REINITIALIZE_STATE_ON_KEY] Cannot re-initialize state on"
              + " the same grouping key during initial state handling for stateful processor."
              + " Invalid grouping key=a.");
    }
  }

  @Test
  void theInitialStateIsBoundedAndKeyedAsTheStream() {
    MemoryStream<KeyCount> stream = engine.memoryStream(KeyCount.class);
    KeyValueGroupedDataset<String, Tick> grouped =
        ticks.toDataset().groupByKey(Tick::key, String.class);
    assertThatThrownBy(() -> grouped.transformWithState(new CountFromInitial(), TimeMode.NONE,
        OutputMode.UPDATE, stream.toDataset().groupByKey(KeyCount::key, String.class),
        KeyCount.class)).isInstanceOf(SluiceException.class).hasMessage(
            "[Sluice/UnsupportedOperation] the initial state of transformWithState must be a"
                + " bounded dataset (read(), createDataset), not a stream");
    KeyValueGroupedDataset<Long, KeyCount> byCount = engine.createDataset(
        List.of(new KeyCount("a", 1)), KeyCount.class).groupByKey(KeyCount::n, Long.class);
    @SuppressWarnings({"unchecked", "rawtypes"})
    KeyValueGroupedDataset<String, KeyCount> wrongKey = (KeyValueGroupedDataset) byCount;
    assertThatThrownBy(() -> grouped.transformWithState(new CountFromInitial(), TimeMode.NONE,
        OutputMode.UPDATE, wrongKey, KeyCount.class)).hasMessageContaining(
            "the initial state of transformWithState is grouped by java.lang.Long and the stream"
                + " by java.lang.String; the key types must be the same");
  }

  @Nested
  class FromACheckpoint {
    @TempDir
    Path input;
    @TempDir
    Path checkpoint;

    private List<List<Object>> runAvailable(KeyCount initialCount, boolean sinkFails)
        throws InterruptedException {
      try (Sluice fresh = Sluice.builder().clock(clock).build()) {
        Dataset<KeyCount> out = fresh.readStream().json(input.toString(), Tick.class)
            .groupByKey(Tick::key, String.class)
            .transformWithState(new CountFromInitial(), TimeMode.NONE, OutputMode.UPDATE,
                initial(fresh, initialCount), KeyCount.class);
        List<List<Object>> rows = new ArrayList<>();
        ApiTestSupport.runAvailableNow(out, OutputMode.UPDATE, checkpoint, sinkFails, rows);
        return rows;
      }
    }

    private void write(String file, int order, String key) throws Exception {
      ApiTestSupport.writeFile(input, file, order, "{\"key\":\"" + key
          + "\",\"time\":\"2024-01-01T00:00:01Z\",\"value\":1}");
    }

    @Test
    void aRestartedQueryKeepsItsStateAndDoesNotReadTheInitialStateAgain() throws Exception {
      write("1.json", 1, "a");
      assertThat(runAvailable(new KeyCount("a", 10), false)).containsExactly(List.of(0L, "a",
          11L));
      write("2.json", 2, "a");
      // A different initial state is ignored: the checkpoint already has a's state.
      assertThat(runAvailable(new KeyCount("a", 500), false)).containsExactly(List.of(1L, "a",
          12L));
    }

    @Test
    void aFirstBatchRunAgainAfterAFailureReadsTheInitialStateOnce() throws Exception {
      write("1.json", 1, "a");
      runAvailable(new KeyCount("a", 10), true);
      // Batch 0's state was not committed: it runs again from the initial state, once.
      assertThat(runAvailable(new KeyCount("a", 10), false)).containsExactly(List.of(0L, "a",
          11L));
    }
  }
}
