package io.sluice.api;

import static io.sluice.api.ApiTestSupport.batch;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.CountWithNote;
import io.sluice.fixtures.CountWithTotal;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Session;
import io.sluice.fixtures.Tick;
import io.sluice.fixtures.Visit;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Per-key state with a user function, as Spark's {@code mapGroupsWithState} and {@code
 * flatMapGroupsWithState}: the function sees each key's new rows and its state, may keep, replace
 * or remove the state, and asks to be called again after a processing-time or event-time
 * timeout. Expected rows are worked out by hand.
 */
class GroupsWithStateTest {
  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().statePartitions(2).clock(clock).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  static long count(Iterator<Tick> values) {
    long n = 0;
    for (; values.hasNext(); values.next()) {
      n++;
    }
    return n;
  }

  /** Adds a key's rows to its count in state; returns the key's new count. */
  static final MapGroupsWithStateFunction<String, Tick, Count, KeyCount> RUNNING_COUNT =
      (key, values, state) -> {
        long n = state.getOption().map(Count::n).orElse(0L) + count(values);
        state.update(new Count(n));
        return new KeyCount(key, n);
      };

  /**
   * Counts a key's rows with a processing-time timeout 10 s after its latest rows; when that
   * passes, returns the count and removes it.
   */
  static final FlatMapGroupsWithStateFunction<String, Tick, Count, KeyCount> IDLE_FOR_10_S =
      (key, values, state) -> {
        if (state.hasTimedOut()) {
          long n = state.get().n();
          state.remove();
          return List.of(new KeyCount(key, n));
        }
        state.update(new Count(state.getOption().map(Count::n).orElse(0L) + count(values)));
        state.setTimeoutDuration("10 seconds");
        return List.of();
      };

  @Test
  void mapGroupsWithStateKeepsARunningCountPerKey() {
    Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
        .mapGroupsWithState(RUNNING_COUNT, Count.class, KeyCount.class);
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), at("b", 2), at("a", 3));
      batch(t, row("a", 2L), row("b", 1L));
      ticks.addData(at("a", 4));
      batch(t, row("a", 3L));
      assertThat(t.lastProgress().stateOperators().get(0).operatorName())
          .isEqualTo("flatMapGroupsWithState");
      assertThat(t.lastProgress().stateOperators().get(0).numRowsTotal()).isEqualTo(2);
      t.expectNoBatch();
    }
  }

  @Test
  void removingTheStateStartsTheKeyAfresh() {
    Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
        .flatMapGroupsWithState((String key, Iterator<Tick> values, GroupState<Count> state) -> {
          long n = state.getOption().map(Count::n).orElse(0L) + count(values);
          if (n >= 3) {
            state.remove();
            return List.of(new KeyCount(key, n));
          }
          state.update(new Count(n));
          return List.of();
        }, OutputMode.APPEND, Count.class, KeyCount.class, GroupStateTimeout.NO_TIMEOUT);
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1), at("a", 2));
      batch(t);
      ticks.addData(at("a", 3), at("a", 4));
      batch(t, row("a", 4L));
      assertThat(t.lastProgress().stateOperators().get(0).numRowsRemoved()).isEqualTo(1);
      ticks.addData(at("a", 5));
      batch(t);
      assertThat(t.lastProgress().stateOperators().get(0).numRowsTotal()).isEqualTo(1);
    }
  }

  @Test
  void aPrimitiveKeyClassStandsForItsBoxedType() {
    // long.class is a Class<Long>, and Kotlin's Long::class.java is long.class: the keys are Longs.
    Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::value, long.class)
        .mapGroupsWithState((Long value, Iterator<Tick> values, GroupState<Count> state) -> {
          long n = state.getOption().map(Count::n).orElse(0L) + count(values);
          state.update(new Count(n));
          return new KeyCount("value " + value, n);
        }, Count.class, KeyCount.class);
    try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
      ticks.addData(at("a", 1), new Tick("b", Tick.T0, 2), at("c", 3));
      batch(t, row("value 1", 2L), row("value 2", 1L));
    }
  }

  @Nested
  class ProcessingTimeTimeout {
    @Test
    void aKeyWithoutRowsForTheDurationIsCalledOnceMore() {
      Dataset<KeyCount> idle = ticks.toDataset().groupByKey(Tick::key, String.class)
          .flatMapGroupsWithState(IDLE_FOR_10_S, OutputMode.APPEND, Count.class, KeyCount.class,
              GroupStateTimeout.PROCESSING_TIME_TIMEOUT);
      try (QueryTester t = QueryTester.of(idle.writeStream().outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 1), at("b", 1));
        batch(t); // at 0 s: both time out at 10 s
        clock.advance(java.time.Duration.ofSeconds(6));
        ticks.addData(at("b", 2));
        batch(t); // at 6 s: b now times out at 16 s
        clock.advance(java.time.Duration.ofSeconds(5));
        batch(t, row("a", 1L)); // at 11 s, without rows: a timed out
        clock.advance(java.time.Duration.ofSeconds(5));
        // At 16 s b's timeout is not before the batch time: unlike Spark, which runs a batch at
        // every trigger under a processing-time timeout, no batch runs until one is due.
        t.expectNoBatch();
        clock.advance(java.time.Duration.ofMillis(1));
        batch(t, row("b", 2L));
        t.expectNoBatch();
        assertThat(t.lastProgress().stateOperators().get(0).numRowsTotal()).isZero();
      }
    }
  }

  @Nested
  class EventTimeTimeout {
    private Dataset<Session> sessions() {
      return ticks.toDataset().withWatermark("time", "5 seconds")
          .groupByKey(Tick::key, String.class)
          .flatMapGroupsWithState((String user, Iterator<Tick> events, GroupState<Visit> state) -> {
            if (state.hasTimedOut()) {
              Visit v = state.get();
              state.remove();
              return List.of(new Session(user, v.first(), v.last(), v.events()));
            }
            Visit v = state.getOption().orElse(null);
            List<Tick> all = new ArrayList<>();
            events.forEachRemaining(all::add);
            for (Tick e : all) {
              v = v == null ? new Visit(e.time(), e.time(), 1) : new Visit(
                  e.time().isBefore(v.first()) ? e.time() : v.first(),
                  e.time().isAfter(v.last()) ? e.time() : v.last(), v.events() + 1);
            }
            state.update(v);
            // The session ends 10 s after its last event, once the watermark says so.
            state.setTimeoutTimestamp(v.last().toEpochMilli(), "10 seconds");
            return List.of();
          }, OutputMode.APPEND, Visit.class, Session.class, GroupStateTimeout.EVENT_TIME_TIMEOUT);
    }

    @Test
    void aSessionClosesWhenTheWatermarkPassesItsTimeout() {
      try (QueryTester t = QueryTester.of(sessions().writeStream()
          .outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 1), at("a", 3));
        batch(t); // a times out at 13 s; watermark after: -2 s
        batch(t); // no data: nothing before -2 s
        ticks.addData(at("b", 20));
        batch(t); // b times out at 30 s; watermark after: 15 s
        batch(t, row("a", ms(1), ms(3), 2L)); // no data
        ticks.addData(at("b", 25), at("c", 40));
        batch(t); // b now times out at 35 s; watermark after: 35 s
        batch(t); // no data: 35 is not before 35
        ticks.addData(at("c", 41));
        batch(t); // watermark after 36 s
        batch(t, row("b", ms(20), ms(25), 2L));
      }
    }

    @Test
    void lateRowsAreDroppedAndCounted() {
      try (QueryTester t = QueryTester.of(sessions().writeStream()
          .outputMode(OutputMode.APPEND))) {
        ticks.addData(at("a", 30));
        batch(t); // watermark after: 25 s
        batch(t); // no data
        ticks.addData(at("z", 20));
        batch(t);
        assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
            .isEqualTo(1);
        assertThat(t.lastProgress().stateOperators().get(0).numRowsTotal()).isEqualTo(1);
      }
    }

    @Test
    void needsAWatermark() {
      Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
          .flatMapGroupsWithState((String k, Iterator<Tick> v, GroupState<Count> s) -> List.of(),
              OutputMode.APPEND, Count.class, KeyCount.class,
              GroupStateTimeout.EVENT_TIME_TIMEOUT);
      assertThatThrownBy(() -> counts.writeStream().format("memory").queryName("c").start())
          .hasMessageContaining("Watermark must be specified in the query using withWatermark()"
              + " for using event-time timeout in a flatMapGroupsWithState");
    }
  }

  @Nested
  class SparksRules {
    @Test
    void aTimeoutNeedsItsKindOfTimeout() {
      Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
          .mapGroupsWithState((String key, Iterator<Tick> values, GroupState<Count> state) -> {
            state.setTimeoutDuration(1000);
            return new KeyCount(key, 0);
          }, Count.class, KeyCount.class);
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
        ticks.addData(at("a", 1));
        assertThatThrownBy(t::runBatch).hasMessageContaining("Cannot set timeout duration"
            + " without enabling processing time timeout in mapGroupsWithState");
      }
    }

    @Test
    void mapGroupsWithStateRunsInUpdateMode() {
      Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
          .mapGroupsWithState((String k, Iterator<Tick> v, GroupState<Count> s) ->
              new KeyCount(k, 0), Count.class, KeyCount.class);
      assertThatThrownBy(() -> counts.writeStream().outputMode(OutputMode.APPEND)
          .format("memory").queryName("c").start()).hasMessageContaining(
              "mapGroupsWithState is not supported with Append output mode");
    }

    @Test
    void theFunctionsModeMustBeTheQuerys() {
      Dataset<KeyCount> counts = ticks.toDataset().groupByKey(Tick::key, String.class)
          .flatMapGroupsWithState((String k, Iterator<Tick> v, GroupState<Count> s) -> List.of(),
              OutputMode.UPDATE, Count.class, KeyCount.class, GroupStateTimeout.NO_TIMEOUT);
      assertThatThrownBy(() -> counts.writeStream().outputMode(OutputMode.APPEND)
          .format("memory").queryName("c").start()).hasMessageContaining(
              "flatMapGroupsWithState in update mode is not supported with Append output mode");
    }

    @Test
    void groupByKeyNeedsRecords() {
      assertThatThrownBy(() -> ticks.toDataset().select("key")
          .groupByKey(r -> r.get(0), Object.class))
          .hasMessageContaining("groupByKey needs a typed dataset");
    }
  }

  @Nested
  class FromACheckpoint {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path input;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path checkpoint;

    private List<List<Object>> runAvailable() throws InterruptedException {
      return runAvailable(Count.class, (key, values, state) -> {
        long n = state.getOption().map(Count::n).orElse(0L) + count(values);
        state.update(new Count(n));
        return new KeyCount(key, n);
      });
    }

    private <S> List<List<Object>> runAvailable(Class<S> stateType,
        MapGroupsWithStateFunction<String, Tick, S, KeyCount> function)
        throws InterruptedException {
      List<List<Object>> rows = new ArrayList<>();
      try (Sluice fresh = Sluice.create()) {
        Dataset<KeyCount> counts = fresh.readStream().json(input.toString(), Tick.class)
            .groupByKey(Tick::key, String.class)
            .mapGroupsWithState(function, stateType, KeyCount.class);
        StreamingQuery q = counts.writeStream().outputMode(OutputMode.UPDATE)
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

    private static String tick(String key, int second) {
      return "{\"key\":\"" + key + "\",\"time\":\"2024-01-01T00:00:0" + second
          + "Z\",\"value\":1}";
    }

    @Test
    void aCheckpointsStateReadsAsATableAtAnyKeptBatch() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1), tick("a", 2), tick("b", 3));
      runAvailable();
      ApiTestSupport.writeFile(input, "2.json", 2, tick("a", 4));
      runAvailable();
      try (Sluice reader = Sluice.create()) {
        Dataset<Row> latest = reader.read().state(checkpoint.toString());
        assertThat(latest.schema().names())
            .containsExactly("partition_id", "key", "value_n", "timeout");
        assertThat(values(latest.select("key", "value_n", "timeout")))
            .containsExactlyInAnyOrder(row("a", 3L, null), row("b", 1L, null));
        Dataset<Row> first = reader.read().option("batchId", 0).state(checkpoint.toString());
        assertThat(values(first.select("key", "value_n")))
            .containsExactlyInAnyOrder(row("a", 2L), row("b", 1L));
      }
    }

    private List<List<Object>> values(Dataset<Row> rows) {
      List<List<Object>> out = new ArrayList<>();
      for (Row r : rows.collectAsList()) {
        out.add(java.util.Arrays.asList(r.values()));
      }
      return out;
    }

    @Test
    void theStateTypeMayGainANullableField() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1), tick("a", 2));
      assertThat(runAvailable()).containsExactly(List.of(0L, "a", 2L));
      ApiTestSupport.writeFile(input, "2.json", 2, tick("a", 3));
      List<String> notes = new ArrayList<>();
      assertThat(runAvailable(CountWithNote.class, (key, values, state) -> {
        CountWithNote old = state.get();
        notes.add(String.valueOf(old.note()));
        long n = old.n() + count(values);
        state.update(new CountWithNote(n, "seen"));
        return new KeyCount(key, n);
      })).containsExactly(List.of(1L, "a", 3L));
      assertThat(notes).containsExactly("null");
    }

    @Test
    void aStateTypeThatOldStateCannotFillIsRefused() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1));
      runAvailable();
      ApiTestSupport.writeFile(input, "2.json", 2, tick("a", 2));
      assertThatThrownBy(() -> runAvailable(CountWithTotal.class, (key, values, state) ->
          new KeyCount(key, 0))).hasMessageContaining("cannot read the state of"
              + " mapGroupsWithState as io.sluice.fixtures.CountWithTotal: field 'total' was"
              + " absent when the state was written and is now BIGINT NOT NULL; a state's type"
              + " may only change by adding a nullable field, removing a field or making a field"
              + " nullable; to change it otherwise, start from a new checkpoint location");
    }

    @Test
    void aRestartCarriesOnFromTheCommittedState() throws Exception {
      ApiTestSupport.writeFile(input, "1.json", 1, tick("a", 1), tick("a", 2), tick("b", 3));
      assertThat(runAvailable()).containsExactlyInAnyOrder(List.of(0L, "a", 2L),
          List.of(0L, "b", 1L));
      ApiTestSupport.writeFile(input, "2.json", 2, tick("a", 4));
      assertThat(runAvailable()).containsExactly(List.of(1L, "a", 3L));
      assertThat(java.nio.file.Files.isDirectory(checkpoint.resolve("state/0/groups")))
          .isTrue();
    }
  }
}
