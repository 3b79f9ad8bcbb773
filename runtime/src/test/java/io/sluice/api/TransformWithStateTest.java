package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Spark 4's {@code transformWithState}: a {@link StatefulProcessor} keeps value, list and map
 * state per key, registers processing-time or event-time timers that fire once, and lets values
 * expire after a TTL. Expected rows are worked out by hand per batch.
 */
class TransformWithStateTest {
  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().statePartitions(2).clock(clock).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  private static StateOperatorProgress state(QueryTester t) {
    return t.lastProgress().stateOperators().get(0);
  }

  /** A running count per key in a value state; emits the key's new count. */
  static final class RunningCount extends StatefulProcessor<String, Tick, KeyCount> {
    private ValueState<Count> count;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      count = getHandle().getValueState("count", Count.class);
    }

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      long n = count.exists() ? count.get().n() : 0;
      for (; rows.hasNext(); rows.next()) {
        n++;
      }
      if (n >= 4) {
        count.clear();
      } else {
        count.update(new Count(n));
      }
      return List.of(new KeyCount(key, n));
    }
  }

  private Dataset<KeyCount> transform(StatefulProcessor<String, Tick, KeyCount> processor,
      TimeMode mode, OutputMode outputMode) {
    return ticks.toDataset().groupByKey(Tick::key, String.class)
        .transformWithState(processor, mode, outputMode, KeyCount.class);
  }

  @Test
  void valueStateKeepsACountPerKeyAndClearRemovesIt() {
    try (QueryTester t = QueryTester.of(transform(new RunningCount(), TimeMode.NONE,
        OutputMode.UPDATE).writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), at("b", 2), at("a", 3));
      batch(t, row("a", 2L), row("b", 1L));
      assertThat(state(t).operatorName()).isEqualTo("transformWithState");
      assertThat(state(t).numRowsTotal()).isEqualTo(2);
      ticks.addData(at("a", 4));
      batch(t, row("a", 3L));
      assertThat(state(t).numRowsUpdated()).isEqualTo(1);
      ticks.addData(at("a", 5));
      batch(t, row("a", 4L)); // cleared at 4
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
      assertThat(state(t).numRowsTotal()).isEqualTo(1);
      ticks.addData(at("a", 6));
      batch(t, row("a", 1L));
      t.expectNoBatch();
    }
  }

  /** Keeps the values of a key's rows in a list and counts them by value in a map. */
  static final class ListAndMap extends StatefulProcessor<String, Tick, KeyCount> {
    private ListState<Long> seen;
    private MapState<Long, Long> byValue;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      seen = getHandle().getListState("seen", Long.class);
      byValue = getHandle().getMapState("byValue", Long.class, Long.class);
    }

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      while (rows.hasNext()) {
        long v = rows.next().value();
        if (v == 0) {
          seen.clear();
          byValue.removeKey(1L);
          continue;
        }
        seen.appendValue(v);
        Long before = byValue.getValue(v);
        byValue.updateValue(v, before == null ? 1 : before + 1);
      }
      List<Long> list = new ArrayList<>();
      seen.get().forEachRemaining(list::add);
      List<String> map = new ArrayList<>();
      for (Iterator<Map.Entry<Long, Long>> it = byValue.iterator(); it.hasNext(); ) {
        Map.Entry<Long, Long> e = it.next();
        map.add(e.getKey() + "=" + e.getValue());
      }
      return List.of(new KeyCount(key + " " + list + " " + map + " " + seen.exists() + " "
          + byValue.containsKey(2L), list.size()));
    }
  }

  private static Tick tick(String key, long value) {
    return new Tick(key, Tick.T0, value);
  }

  @Test
  void listAndMapStateAppendUpdateRemoveAndClear() {
    try (QueryTester t = QueryTester.of(transform(new ListAndMap(), TimeMode.NONE,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1), tick("a", 2), tick("b", 5), tick("a", 1));
      batch(t, row("a [1, 2, 1] [1=2, 2=1] true true", 3L),
          row("b [5] [5=1] true false", 1L));
      ticks.addData(tick("a", 0));
      batch(t, row("a [] [2=1] false true", 0L));
      ticks.addData(tick("a", 7));
      batch(t, row("a [7] [2=1, 7=1] true true", 1L));
      // a's list and map, b's list and map.
      assertThat(state(t).numRowsTotal()).isEqualTo(4);
    }
  }

  @Test
  void aLongListIsKept() {
    StatefulProcessor<String, Tick, KeyCount> many = new StatefulProcessor<>() {
      private ListState<Long> list;

      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {
        // A primitive class, as Kotlin's Long::class.java gives, stands for its box.
        @SuppressWarnings("unchecked")
        Class<Long> primitive = (Class<Long>) (Class<?>) long.class;
        list = getHandle().getListState("list", primitive);
      }

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        List<Long> values = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
          values.add(i);
        }
        list.appendList(values);
        long n = 0;
        for (Iterator<Long> it = list.get(); it.hasNext(); it.next()) {
          n++;
        }
        return List.of(new KeyCount(key, n));
      }
    };
    try (QueryTester t = QueryTester.of(transform(many, TimeMode.NONE, OutputMode.APPEND)
        .writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1));
      batch(t, row("a", 5000L));
      ticks.addData(tick("a", 1));
      batch(t, row("a", 10000L));
    }
  }

  @Nested
  class Misuse {
    private void fails(StatefulProcessor<String, Tick, KeyCount> processor, TimeMode mode,
        String message) {
      assertThatThrownBy(() -> {
        try (QueryTester t = QueryTester.of(transform(processor, mode, OutputMode.APPEND)
            .writeStream().outputMode(OutputMode.APPEND))) {
          ticks.addData(at("a", 1));
          t.runBatch();
        }
      }).hasStackTraceContaining(message);
    }

    abstract static class Base extends StatefulProcessor<String, Tick, KeyCount> {
      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {}
    }

    /** A processor whose init runs {@code declarations} and that ignores its rows. */
    private Base declaring(java.util.function.Consumer<StatefulProcessorHandle> declarations) {
      return new Base() {
        @Override
        public void init(OutputMode outputMode, TimeMode timeMode) {
          declarations.accept(getHandle());
        }

        @Override
        public Iterable<KeyCount> handleInputRows(String k, Iterator<Tick> r, TimerValues v) {
          return List.of();
        }
      };
    }

    @Test
    void aTtlIsKeptInProcessingTimeOnly() {
      fails(new Recent(), TimeMode.NONE,
          "[STATEFUL_PROCESSOR_INCORRECT_TIME_MODE_TO_ASSIGN_TTL] Cannot use TTL for state=count"
              + " in timeMode=NONE, use TimeMode.PROCESSING_TIME instead.");
    }

    @Test
    void aStateVariableNameIsDeclaredOnce() {
      fails(declaring(handle -> {
        handle.getValueState("x", Count.class);
        handle.getListState("x", Long.class);
      }), TimeMode.NONE, "[STATEFUL_PROCESSOR_DUPLICATE_STATE_VARIABLE_DEFINED] State variable"
          + " with name x has already been defined in the StatefulProcessor.");
    }

    @Test
    void stateVariablesAreDeclaredInInit() {
      fails(new Base() {
        @Override
        public Iterable<KeyCount> handleInputRows(String k, Iterator<Tick> r, TimerValues v) {
          getHandle().getValueState("late", Count.class);
          return List.of();
        }
      }, TimeMode.NONE, "Failed to perform stateful processor operation=get_value_state with"
          // As in Spark, the handle is INITIALIZED while rows are handled.
          + " invalid handle state=INITIALIZED");
    }

    @Test
    void timersNeedATimeMode() {
      fails(new Base() {
        @Override
        public Iterable<KeyCount> handleInputRows(String k, Iterator<Tick> r, TimerValues v) {
          getHandle().registerTimer(5);
          return List.of();
        }
      }, TimeMode.NONE, "Failed to perform stateful processor operation=register_timer with"
          + " invalid timeMode=NONE");
    }

    @Test
    void aValueCannotBeNull() {
      fails(new Base() {
        private ValueState<Count> count;

        @Override
        public void init(OutputMode outputMode, TimeMode timeMode) {
          count = getHandle().getValueState("count", Count.class);
        }

        @Override
        public Iterable<KeyCount> handleInputRows(String k, Iterator<Tick> r, TimerValues v) {
          count.update(null);
          return List.of();
        }
      }, TimeMode.NONE, "[ILLEGAL_STATE_STORE_VALUE.NULL_VALUE]");
    }

    /** A processor that puts {@code values} into a list state for each key. */
    private Base putting(List<Long> values) {
      return new Base() {
        private ListState<Long> list;

        @Override
        public void init(OutputMode outputMode, TimeMode timeMode) {
          list = getHandle().getListState("list", Long.class);
        }

        @Override
        public Iterable<KeyCount> handleInputRows(String k, Iterator<Tick> r, TimerValues v) {
          list.put(values);
          return List.of();
        }
      };
    }

    @Test
    void aListCannotBePutEmpty() {
      fails(putting(List.of()), TimeMode.NONE, "[ILLEGAL_STATE_STORE_VALUE.EMPTY_LIST_VALUE]");
    }

    @Test
    void aListCannotBePutNull() {
      fails(putting(null), TimeMode.NONE, "[ILLEGAL_STATE_STORE_VALUE.NULL_VALUE]");
    }

    @Test
    void aVariableNameHasNoLineBreak() {
      fails(declaring(handle -> handle.getValueState("two\nlines", Count.class)),
          TimeMode.NONE, "get_value_state: a state variable name has no tab or line break and is"
          + " at most 65535 bytes long, got 'two\\nlines'");
    }

    @Test
    void oneProcessorInstanceServesOneQueryAtATime() {
      RunningCount shared = new RunningCount();
      Dataset<KeyCount> counts = transform(shared, TimeMode.NONE, OutputMode.UPDATE);
      try (QueryTester first = QueryTester.of(counts.writeStream()
          .outputMode(OutputMode.UPDATE))) {
        assertThatThrownBy(() -> QueryTester.of(counts.writeStream()
            .outputMode(OutputMode.UPDATE))).hasMessageContaining("StatefulProcessor "
                + RunningCount.class.getName() + " already runs in another query: a processor"
                + " keeps the state variables of one query, so give each query its own instance");
        ticks.addData(at("a", 1));
        batch(first, row("a", 1L));
      }
      // Once the first query is closed, the instance may run again.
      try (QueryTester again = QueryTester.of(counts.writeStream()
          .outputMode(OutputMode.UPDATE))) {
        ticks.addData(at("a", 2));
        again.runBatch();
      }
    }

    @Test
    void stateIsOnlyReachableForAKey() {
      fails(new Base() {
        @Override
        public void init(OutputMode outputMode, TimeMode timeMode) {
          getHandle().getValueState("count", Count.class).exists();
        }

        @Override
        public Iterable<KeyCount> handleInputRows(String k, Iterator<Tick> r, TimerValues v) {
          return List.of();
        }
      }, TimeMode.NONE, "operation=valueState.exists with invalid handle state=CREATED");
    }

    @Test
    void theProcessorsModeMustBeTheQuerys() {
      Dataset<KeyCount> counts = transform(new RunningCount(), TimeMode.NONE, OutputMode.UPDATE);
      assertThatThrownBy(() -> counts.writeStream().outputMode(OutputMode.APPEND)
          .format("memory").queryName("c").start()).hasMessageContaining(
              "transformWithState in update mode is not supported with Append output mode");
    }

    @Test
    void completeModeIsRefused() {
      assertThatThrownBy(() -> transform(new RunningCount(), TimeMode.NONE,
          OutputMode.COMPLETE)).hasMessageContaining("must be append or update");
    }

    @Test
    void eventTimeNeedsAWatermark() {
      Dataset<KeyCount> counts = transform(new RunningCount(), TimeMode.EVENT_TIME,
          OutputMode.APPEND);
      assertThatThrownBy(() -> counts.writeStream().format("memory").queryName("c").start())
          .hasMessageContaining("Watermark must be specified in the query using withWatermark()"
              + " for using event-time mode in a transformWithState");
    }
  }

  /**
   * Counts a key's rows and emits the count when the key has had no rows for 10 s of processing
   * time (one timer per key, moved on every row) or, in event time, when the watermark passes 10 s
   * after its latest row.
   */
  static final class IdleAfter extends StatefulProcessor<String, Tick, KeyCount> {
    private ValueState<Count> count;
    private TimeMode mode;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      count = getHandle().getValueState("count", Count.class);
      mode = timeMode;
    }

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      long n = count.exists() ? count.get().n() : 0;
      long latest = Long.MIN_VALUE;
      while (rows.hasNext()) {
        latest = Math.max(latest, rows.next().time().toEpochMilli());
        n++;
      }
      count.update(new Count(n));
      for (Iterator<Long> it = getHandle().listTimers(); it.hasNext(); ) {
        getHandle().deleteTimer(it.next());
      }
      getHandle().registerTimer((mode == TimeMode.EVENT_TIME ? latest
          : timerValues.getCurrentProcessingTimeInMs()) + 10_000);
      return List.of();
    }

    @Override
    public Iterable<KeyCount> handleExpiredTimer(String key, TimerValues timerValues,
        ExpiredTimerInfo expiredTimerInfo) {
      long n = count.get().n();
      count.clear();
      return List.of(new KeyCount(key, n));
    }
  }

  @Nested
  class ProcessingTimeTimers {
    @Test
    void aTimerFiresOnceWhenTheBatchTimeIsPastIt() {
      try (QueryTester t = QueryTester.of(transform(new IdleAfter(), TimeMode.PROCESSING_TIME,
          OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 1), at("b", 1));
        batch(t); // at 0 s: both fire at 10 s
        clock.advance(Duration.ofSeconds(6));
        ticks.addData(at("b", 2));
        batch(t); // at 6 s: b's timer moves to 16 s
        clock.advance(Duration.ofSeconds(5));
        batch(t, row("a", 1L)); // at 11 s, without rows: a's timer fired
        clock.advance(Duration.ofMillis(4999));
        t.expectNoBatch(); // at 15.999 s: b's timer is not due
        clock.advance(Duration.ofMillis(1));
        batch(t, row("b", 2L)); // at 16 s: as in Spark 4, a timer fires when the time reaches it
        t.expectNoBatch();
        // Fired timers are gone, as are the cleared counts.
        assertThat(state(t).numRowsTotal()).isZero();
      }
    }

    /** Registers three timers per key out of order; records the order they fire in. */
    static final class Three extends StatefulProcessor<String, Tick, KeyCount> {
      final List<String> fired = new ArrayList<>();

      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {}

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        long now = timerValues.getCurrentProcessingTimeInMs();
        long offset = key.equals("a") ? 0 : 500;
        getHandle().registerTimer(now + 3000 + offset);
        getHandle().registerTimer(now + 1000 + offset);
        getHandle().registerTimer(now + 2000 + offset);
        getHandle().registerTimer(now + 2000 + offset); // again: no second timer
        if (key.equals("b")) {
          getHandle().deleteTimer(now + 2500);
        }
        return List.of();
      }

      @Override
      public Iterable<KeyCount> handleExpiredTimer(String key, TimerValues timerValues,
          ExpiredTimerInfo info) {
        List<Long> left = new ArrayList<>();
        getHandle().listTimers().forEachRemaining(left::add);
        fired.add(key + "@" + info.getExpiryTimeInMs() + " " + left);
        return List.of(new KeyCount(key, info.getExpiryTimeInMs()));
      }
    }

    @Test
    void aKeysTimersFireInTimeOrderAfterItsRows() {
      Three three = new Three();
      try (QueryTester t = QueryTester.of(transform(three, TimeMode.PROCESSING_TIME,
          OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
        ticks.addData(at("b", 1), at("a", 1));
        batch(t);
        clock.advance(Duration.ofMillis(2600));
        batch(t, row("a", 1000L), row("a", 2000L), row("b", 1500L));
        clock.advance(Duration.ofSeconds(1));
        batch(t, row("a", 3000L), row("b", 3500L));
        t.expectNoBatch();
        // A timer is listed while its handler runs, and removed once handled.
        assertThat(three.fired).containsExactly("a@1000 [1000, 2000, 3000]",
            "b@1500 [1500, 3500]", "a@2000 [2000, 3000]", "a@3000 [3000]", "b@3500 [3500]");
      }
    }
  }

  /** Records its calls; a row of value 0 deletes the key's timers, any row registers one at +1 s. */
  static final class Calls extends StatefulProcessor<String, Tick, KeyCount> {
    final List<String> calls = new ArrayList<>();

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {}

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      List<Long> timers = new ArrayList<>();
      getHandle().listTimers().forEachRemaining(timers::add);
      calls.add("rows " + key + " " + timers);
      while (rows.hasNext()) {
        if (rows.next().value() == 0) {
          timers.forEach(getHandle()::deleteTimer);
        }
      }
      getHandle().registerTimer(timerValues.getCurrentProcessingTimeInMs() + 1000);
      return List.of();
    }

    @Override
    public Iterable<KeyCount> handleExpiredTimer(String key, TimerValues timerValues,
        ExpiredTimerInfo info) {
      calls.add("timer " + key + "@" + info.getExpiryTimeInMs());
      return List.of(new KeyCount(key, info.getExpiryTimeInMs()));
    }
  }

  @Test
  void aKeysDueTimersFireAfterItsRowsUnlessTheRowsDeleteThem() {
    Calls calls = new Calls();
    try (QueryTester t = QueryTester.of(transform(calls, TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1), tick("b", 1));
      batch(t); // at 0 s: timers at 1 s
      clock.advance(Duration.ofSeconds(2));
      ticks.addData(tick("a", 1), tick("b", 0));
      // At 2 s: a's rows, then its timer; b's rows delete its due timer. Both register one at 3 s.
      batch(t, row("a", 1000L));
      assertThat(calls.calls).containsExactly("rows a []", "rows b []", "rows a [1000]",
          "rows b [1000]", "timer a@1000");
    }
  }

  @Nested
  class EventTimeTimers {
    private Dataset<KeyCount> sessions() {
      return ticks.toDataset().withWatermark("time", "5 seconds")
          .groupByKey(Tick::key, String.class)
          .transformWithState(new IdleAfter(), TimeMode.EVENT_TIME, OutputMode.APPEND,
              KeyCount.class);
    }

    @Test
    void aTimerFiresWhenTheWatermarkPassesIt() {
      try (QueryTester t = QueryTester.of(sessions().writeStream()
          .outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 1), at("a", 3));
        batch(t); // a's timer at 13 s; watermark after: -2 s
        batch(t); // no data: nothing before -2 s
        ticks.addData(at("b", 20));
        batch(t); // b's timer at 30 s; watermark after: 15 s
        batch(t, row("a", 2L)); // no data: 13 s is before 15 s
        ticks.addData(at("b", 25), at("c", 40));
        batch(t); // b's timer moves to 35 s, c's at 50 s; watermark after: 35 s
        batch(t, row("b", 2L)); // no data: the watermark reached 35 s
        ticks.addData(at("c", 41));
        batch(t); // c's timer moves to 51 s; watermark after: 36 s
        batch(t); // no data: 51 s is after 36 s
        ticks.addData(at("z", 20));
        batch(t); // behind the watermark of 36 s: late
        assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
      }
    }

    @Test
    void timerValuesGiveTheBatchWatermark() {
      List<Long> marks = new ArrayList<>();
      Dataset<KeyCount> out = recordingWatermarks(marks, TimeMode.EVENT_TIME, false);
      try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 20));
        batch(t);
        batch(t);
        ticks.addData(at("a", 30));
        batch(t);
        assertThat(marks.get(1)).isEqualTo(ms(15));
      }
    }
  }

  /**
   * The ticks with a watermark 5 s behind, through a processor that adds each key's {@code
   * TimerValues} watermark to {@code marks} and, if {@code emitCounts}, emits its row count.
   */
  private Dataset<KeyCount> recordingWatermarks(List<Long> marks, TimeMode mode,
      boolean emitCounts) {
    return ticks.toDataset().withWatermark("time", "5 seconds")
        .groupByKey(Tick::key, String.class)
        .transformWithState(new StatefulProcessor<String, Tick, KeyCount>() {
          @Override
          public void init(OutputMode outputMode, TimeMode timeMode) {}

          @Override
          public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
              TimerValues timerValues) {
            marks.add(timerValues.getCurrentWatermarkInMs());
            long n = 0;
            for (; rows.hasNext(); rows.next()) {
              n++;
            }
            return emitCounts ? List.of(new KeyCount(key, n)) : List.of();
          }
        }, mode, OutputMode.APPEND, KeyCount.class);
  }

  @Test
  void withAWatermarkLateRowsAreDroppedAndTheWatermarkGivenInEveryTimeMode() {
    List<Long> marks = new ArrayList<>();
    Dataset<KeyCount> out = recordingWatermarks(marks, TimeMode.PROCESSING_TIME, true);
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 20));
      batch(t, row("a", 1L)); // watermark after: 15 s
      ticks.addData(at("a", 30));
      batch(t, row("a", 1L)); // watermark after: 25 s
      ticks.addData(at("a", 10), at("a", 40));
      // Late by the previous batch's watermark, 15 s, as Spark drops it in any time mode.
      batch(t, row("a", 1L));
      assertThat(state(t).numRowsDroppedByWatermark()).isEqualTo(1);
      assertThat(marks.subList(1, 3)).containsExactly(ms(15), ms(25));
    }
  }

  @Test
  void aTimerItsKeyDeletesBeforeItsTurnDoesNotFire() {
    StatefulProcessor<String, Tick, KeyCount> firstOnly = new StatefulProcessor<>() {
      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {}

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        getHandle().registerTimer(1000);
        getHandle().registerTimer(2000);
        return List.of();
      }

      @Override
      public Iterable<KeyCount> handleExpiredTimer(String key, TimerValues timerValues,
          ExpiredTimerInfo info) {
        getHandle().listTimers().forEachRemaining(getHandle()::deleteTimer);
        return List.of(new KeyCount(key, info.getExpiryTimeInMs()));
      }
    };
    try (QueryTester t = QueryTester.of(transform(firstOnly, TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1));
      batch(t);
      clock.advance(Duration.ofSeconds(3));
      batch(t, row("a", 1000L)); // both are due; the first deletes the second
      t.expectNoBatch();
    }
  }

  /** A count and the row values of the last 10 s, both with a TTL of 10 s. */
  static final class Recent extends StatefulProcessor<String, Tick, KeyCount> {
    private ValueState<Count> count;
    private ListState<Long> recent;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      TTLConfig ttl = new TTLConfig(Duration.ofSeconds(10));
      count = getHandle().getValueState("count", Count.class, ttl);
      recent = getHandle().getListState("recent", Long.class, ttl);
    }

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      List<Long> before = new ArrayList<>();
      recent.get().forEachRemaining(before::add);
      long n = count.exists() ? count.get().n() : 0;
      KeyCount out = new KeyCount(key + " " + before, n);
      while (rows.hasNext()) {
        recent.appendValue(rows.next().value());
        n++;
      }
      count.update(new Count(n));
      return List.of(out);
    }
  }

  @Test
  void valuesExpireTheirTtlAfterTheirLastUpdateAndAreRemovedAndCounted() {
    try (QueryTester t = QueryTester.of(transform(new Recent(), TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1));
      batch(t, row("a []", 0L)); // at 0 s: count and 1 expire at 10 s
      clock.advance(Duration.ofSeconds(5));
      ticks.addData(tick("a", 2));
      batch(t, row("a [1]", 1L)); // at 5 s: count and 2 expire at 15 s
      clock.advance(Duration.ofSeconds(7));
      ticks.addData(tick("a", 3));
      batch(t, row("a [2]", 2L)); // at 12 s: 1 expired; count and 3 expire at 22 s
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(18));
      ticks.addData(tick("b", 9));
      batch(t, row("b []", 0L)); // at 30 s: a's count, 2 and 3 expired
      assertThat(state(t).numRowsRemoved()).isEqualTo(3);
      assertThat(state(t).numRowsTotal()).isEqualTo(2);
      ticks.addData(tick("a", 4));
      batch(t, row("a []", 0L));
    }
  }

  /** The row values of a key in a map, each entry with a TTL of 10 s from its last update. */
  static final class SeenValues extends StatefulProcessor<String, Tick, KeyCount> {
    private MapState<Long, Long> seen;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      seen = getHandle().getMapState("seen", Long.class, Long.class,
          new TTLConfig(Duration.ofSeconds(10)));
    }

    @Override
    public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
        TimerValues timerValues) {
      while (rows.hasNext()) {
        seen.updateValue(rows.next().value(), timerValues.getCurrentProcessingTimeInMs());
      }
      List<Long> keys = new ArrayList<>();
      seen.keys().forEachRemaining(keys::add);
      return List.of(new KeyCount(key + " " + keys, keys.size()));
    }
  }

  @Test
  void mapEntriesExpireOneByOneAndAnUpdateRenewsThem() {
    try (QueryTester t = QueryTester.of(transform(new SeenValues(), TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1));
      batch(t, row("a [1]", 1L)); // at 0 s: 1 expires at 10 s
      clock.advance(Duration.ofSeconds(5));
      ticks.addData(tick("a", 2));
      batch(t, row("a [1, 2]", 2L)); // at 5 s: 2 expires at 15 s
      clock.advance(Duration.ofSeconds(6));
      ticks.addData(tick("a", 3));
      batch(t, row("a [2, 3]", 2L)); // at 11 s: 1 expired; 3 expires at 21 s
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(3));
      ticks.addData(tick("a", 2));
      batch(t, row("a [2, 3]", 2L)); // at 14 s: 2 renewed until 24 s
      assertThat(state(t).numRowsRemoved()).isZero();
      clock.advance(Duration.ofSeconds(8));
      ticks.addData(tick("a", 9));
      batch(t, row("a [2, 9]", 2L)); // at 22 s: 3 expired at 21 s, 2 lives until 24 s
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
    }
  }

  @Test
  void aTtlIsNotNegative() {
    assertThatThrownBy(() -> new TTLConfig(Duration.ofSeconds(-1)))
        .hasMessageContaining("zero (none) or positive");
  }

  @Test
  void aBatchWithoutDataRemovesValuesOnceTheirTtlPasses() {
    try (QueryTester t = QueryTester.of(transform(new Recent(), TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1));
      batch(t, row("a []", 0L)); // at 0 s: count and 1 expire at 10 s
      clock.advance(Duration.ofSeconds(9));
      t.expectNoBatch(); // nothing due yet
      clock.advance(Duration.ofSeconds(1));
      batch(t); // at 10 s, without data: both values go
      assertThat(state(t).numRowsRemoved()).isEqualTo(2);
      assertThat(state(t).numRowsTotal()).isZero();
      t.expectNoBatch();
    }
  }

  @Test
  void aTtlOfCenturiesKeepsValues() {
    StatefulProcessor<String, Tick, KeyCount> lasting = new StatefulProcessor<>() {
      private ValueState<Count> count;

      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {
        count = getHandle().getValueState("count", Count.class,
            new TTLConfig(java.time.temporal.ChronoUnit.FOREVER.getDuration()));
      }

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        KeyCount out = new KeyCount(key + " " + count.exists(), 0);
        count.update(new Count(1));
        return List.of(out);
      }
    };
    clock.advance(Duration.ofDays(365));
    try (QueryTester t = QueryTester.of(transform(lasting, TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1));
      batch(t, row("a false", 0L));
      ticks.addData(tick("a", 1));
      batch(t, row("a true", 0L));
    }
  }

  @Test
  void aTtlUnderAMillisecondExpiresRatherThanKeepingValuesForever() {
    // As in Spark, a value expires at the batch time plus the TTL in whole milliseconds: 0.5 ms
    // is a TTL (not TTLConfig.NONE), gone by the next millisecond, not kept forever.
    StatefulProcessor<String, Tick, KeyCount> brief = new StatefulProcessor<>() {
      private ValueState<Count> count;

      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {
        count = getHandle().getValueState("count", Count.class,
            new TTLConfig(Duration.ofNanos(500_000)));
      }

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        KeyCount out = new KeyCount(key + " " + count.exists(), 0);
        count.update(new Count(1));
        return List.of(out);
      }
    };
    try (QueryTester t = QueryTester.of(transform(brief, TimeMode.PROCESSING_TIME,
        OutputMode.APPEND).writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(tick("a", 1));
      batch(t, row("a false", 0L));
      clock.advance(Duration.ofMillis(1));
      ticks.addData(tick("a", 1));
      batch(t, row("a false", 0L));
      assertThat(state(t).numRowsRemoved()).isEqualTo(1);
    }
  }

  @Nested
  class FromACheckpoint {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path input;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path checkpoint;

    private List<List<Object>> runAvailable(StatefulProcessor<String, Tick, KeyCount> processor,
        long[] stateRows) throws InterruptedException {
      return runAvailable(processor, stateRows, false);
    }

    private List<List<Object>> runAvailable(StatefulProcessor<String, Tick, KeyCount> processor,
        long[] stateRows, boolean sinkFails) throws InterruptedException {
      try (Sluice fresh = Sluice.builder().clock(clock).build()) {
        Dataset<KeyCount> out = fresh.readStream().json(input.toString(), Tick.class)
            .groupByKey(Tick::key, String.class)
            .transformWithState(processor, TimeMode.PROCESSING_TIME, OutputMode.APPEND,
                KeyCount.class);
        List<List<Object>> rows = new ArrayList<>();
        StreamingQuery q = ApiTestSupport.runAvailableNow(out, OutputMode.APPEND, checkpoint,
            sinkFails, rows);
        if (!sinkFails) {
          stateRows[0] = q.lastProgress().stateOperators().get(0).numRowsTotal();
        }
        return rows;
      }
    }

    private List<List<Object>> runAvailable() throws InterruptedException {
      return runAvailable(new IdleAfter(), new long[1]);
    }

    private static String tick(String key, int second) {
      return "{\"key\":\"" + key + "\",\"time\":\"2024-01-01T00:00:0" + second
          + "Z\",\"value\":1}";
    }

    @Test
    void aPendingTimerFiresOnceAfterARestart() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1));
      assertThat(runAvailable()).isEmpty(); // at 0 s: a's timer at 10 s
      clock.advance(Duration.ofSeconds(11));
      ApiTestSupport.writeFile(input, "2.json", 2, tick("b", 2));
      // At 11 s, in a new query: b's timer at 21 s; a's, kept in the checkpoint, fires.
      assertThat(runAvailable()).containsExactly(List.of(1L, "a", 1L));
      clock.advance(Duration.ofSeconds(1));
      ApiTestSupport.writeFile(input, "3.json", 3, tick("c", 3));
      assertThat(runAvailable()).isEmpty(); // at 12 s: c's timer at 22 s; a's is gone
      clock.advance(Duration.ofSeconds(13));
      ApiTestSupport.writeFile(input, "4.json", 4, tick("d", 4));
      // At 25 s: b's and c's fire, once each.
      List<List<Object>> last = runAvailable();
      assertThat(last).contains(List.of(3L, "b", 1L), List.of(3L, "c", 1L));
      assertThat(last).filteredOn(r -> r.get(1).equals("a")).isEmpty();
    }

    @Test
    void aBatchRunAgainAfterAFailureFiresItsTimerOnce() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1));
      assertThat(runAvailable()).isEmpty(); // at 0 s: a's timer at 10 s
      clock.advance(Duration.ofSeconds(11));
      ApiTestSupport.writeFile(input, "2.json", 2, tick("b", 2));
      runAvailable(new IdleAfter(), new long[1], true); // batch 1 fails in the sink
      clock.advance(Duration.ofSeconds(30));
      // Batch 1 runs again at its logged time, 11 s: a fires once, b's timer (21 s) does not.
      assertThat(runAvailable()).startsWith(List.of(1L, "a", 1L))
          .filteredOn(r -> r.get(1).equals("a")).hasSize(1);
    }

    private List<List<Object>> runEventTime() throws InterruptedException {
      List<List<Object>> rows = new ArrayList<>();
      try (Sluice fresh = Sluice.builder().clock(clock).build()) {
        Dataset<KeyCount> out = fresh.readStream().json(input.toString(), Tick.class)
            .withWatermark("time", "5 seconds")
            .groupByKey(Tick::key, String.class)
            .transformWithState(new IdleAfter(), TimeMode.EVENT_TIME, OutputMode.APPEND,
                KeyCount.class);
        StreamingQuery q = out.writeStream().outputMode(OutputMode.APPEND)
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.availableNow())
            .foreachBatch((batch, id) -> {
              for (KeyCount c : batch.collectAsList()) {
                rows.add(List.of(id, c.key(), c.n()));
              }
            })
            .start();
        q.awaitTermination();
      }
      return rows;
    }

    private static String tickAt(String key, int second) {
      return "{\"key\":\"" + key + "\",\"time\":\"2024-01-01T00:00:"
          + String.format("%02d", second) + "Z\",\"value\":1}";
    }

    @Test
    void aPendingEventTimeTimerFiresOnceAfterARestart() throws Exception {
      // Each run is a batch with the new file, then one without data as the watermark moved.
      ApiTestSupport.writeFile(input, "1.json", 1, tickAt("a", 1), tickAt("a", 3));
      // Batches 0 and 1: a's timer at 13 s; the watermark reaches -2 s.
      assertThat(runEventTime()).isEmpty();
      ApiTestSupport.writeFile(input, "2.json", 2, tickAt("b", 30));
      // In a new query, batch 2: b's timer at 40 s; batch 3, at 25 s: a's timer, from the
      // checkpoint, fires.
      assertThat(runEventTime()).containsExactly(List.of(3L, "a", 2L));
      ApiTestSupport.writeFile(input, "3.json", 3, tickAt("c", 31));
      assertThat(runEventTime()).isEmpty(); // batches 4 and 5, up to 26 s: a's timer is gone
      ApiTestSupport.writeFile(input, "4.json", 4, tickAt("d", 32));
      assertThat(runEventTime()).isEmpty(); // batches 6 and 7, up to 27 s
      try (var commits = java.nio.file.Files.list(checkpoint.resolve("commits"))) {
        assertThat(commits.count()).isEqualTo(8);
      }
    }

    /** Writes a second value state, which the next version of the processor deletes. */
    static final class WithOld extends StatefulProcessor<String, Tick, KeyCount> {
      private final boolean keepOld;
      private ValueState<Count> count;
      private ValueState<Count> old;

      WithOld(boolean keepOld) {
        this.keepOld = keepOld;
      }

      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {
        count = getHandle().getValueState("count", Count.class);
        if (keepOld) {
          old = getHandle().getValueState("old", Count.class);
        } else {
          getHandle().deleteIfExists("old");
        }
      }

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        count.update(new Count(1));
        if (keepOld) {
          old.update(new Count(1));
        }
        return List.of();
      }
    }

    @Test
    void deleteIfExistsRemovesAVariableNoLongerDeclared() throws Exception {
      long[] total = new long[1];
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1));
      runAvailable(new WithOld(true), total);
      assertThat(total[0]).isEqualTo(2);
      ApiTestSupport.writeFile(input, "2.json", 2, tick("b", 2));
      runAvailable(new WithOld(false), total);
      assertThat(total[0]).isEqualTo(2); // a's and b's counts; a's old value is gone
    }

    /** Declares one variable "v" as the kind and type given; deletes it first if asked. */
    static final class Declares extends StatefulProcessor<String, Tick, KeyCount> {
      private final String kind;
      private final Class<?> type;
      private final boolean deleteFirst;

      Declares(String kind, Class<?> type, boolean deleteFirst) {
        this.kind = kind;
        this.type = type;
        this.deleteFirst = deleteFirst;
      }

      @Override
      public void init(OutputMode outputMode, TimeMode timeMode) {
        if (deleteFirst) {
          getHandle().deleteIfExists("v");
        }
        if (kind.equals("value")) {
          getHandle().getValueState("v", type);
        } else {
          getHandle().getListState("v", type);
        }
      }

      @Override
      public Iterable<KeyCount> handleInputRows(String key, Iterator<Tick> rows,
          TimerValues timerValues) {
        return List.of();
      }
    }

    @Test
    void aVariableKeepsItsKindAndTypeAcrossRestarts() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1));
      runAvailable(new Declares("value", Long.class, false), new long[1]);
      java.nio.file.Path file = checkpoint.resolve("state/0/transform.variables");
      assertThatThrownBy(() -> runAvailable(new Declares("list", Long.class, false),
          new long[1])).hasStackTraceContaining("[STATE_STORE_INVALID_VARIABLE_TYPE_CHANGE]"
              + " Cannot change state variable 'v' from ValueState to ListState between query"
              + " restarts (" + file + "): declare it as a ValueState again, remove it first"
              + " with deleteIfExists, or start from a new checkpoint location");
      assertThatThrownBy(() -> runAvailable(new Declares("value", Integer.class, false),
          new long[1])).hasStackTraceContaining("[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE]"
              + " state variable 'v' kept values of scalar: java.lang.Long when the state in the"
              + " checkpoint was written and is now declared with scalar: java.lang.Integer ("
              + file + ")");
      // Deleted first, it may come back as anything.
      ApiTestSupport.writeFile(input, "2.json", 2, tick("b", 2));
      runAvailable(new Declares("list", Integer.class, true), new long[1]);
      assertThat(java.nio.file.Files.readString(file)).endsWith("\nv\t2\tscalar: java.lang.Integer");
    }
  }
}
