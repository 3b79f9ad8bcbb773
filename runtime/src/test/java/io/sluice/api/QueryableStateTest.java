package io.sluice.api;

import static io.sluice.fixtures.Tick.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Keeper;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The state of a running query's state function, or the state variables of its {@code
 * transformWithState}, can be read from another thread, as Kafka Streams' interactive queries,
 * and every read sees the last committed batch: not a batch whose state is written but whose
 * output is not.
 */
class QueryableStateTest {
  private final Sluice engine = Sluice.builder().statePartitions(3).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private Dataset<KeyCount> counts() {
    return ticks.toDataset().groupByKey(Tick::key, String.class)
        .mapGroupsWithState(GroupsWithStateTest.RUNNING_COUNT, Count.class, KeyCount.class);
  }

  @Test
  void looksUpAKeyAndListsEveryKey() {
    StreamingQuery q = counts().writeStream().outputMode(OutputMode.UPDATE).format("memory")
        .queryName("counts").start();
    ticks.addData(at("a", 1), at("b", 2), at("a", 3));
    q.processAllAvailable();
    QueryableState<String, Count> state = q.queryableState(String.class, Count.class);
    assertThat(state.get("a")).contains(new Count(2));
    assertThat(state.get("zzz")).isEmpty();
    assertThat(state.all()).isEqualTo(Map.of("a", new Count(2), "b", new Count(1)));
    q.stop();
  }

  @Test
  void aReadDuringABatchSeesTheLastCommittedState() throws Exception {
    CountDownLatch inSink = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StreamingQuery q = counts().writeStream().outputMode(OutputMode.UPDATE)
        .foreachBatch((batch, id) -> {
          if (id == 1) {
            inSink.countDown();
            // Held here: the batch's state is written, its commit is not.
            release.await(10, TimeUnit.SECONDS);
          }
        }).start();
    QueryableState<String, Count> state = q.queryableState(String.class, Count.class);
    ticks.addData(at("a", 1));
    q.processAllAvailable();
    ticks.addData(at("a", 2), at("c", 3));
    assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
    Optional<Count> a = state.get("a");
    Map<String, Count> all = state.all();
    release.countDown();
    q.processAllAvailable();
    assertThat(a).contains(new Count(1));
    assertThat(all).isEqualTo(Map.of("a", new Count(1)));
    assertThat(state.get("a")).contains(new Count(2));
    assertThat(state.get("c")).contains(new Count(1));
    q.stop();
  }

  @Test
  void aReadAfterTheQueryStoppedSaysItsStateIsClosed() {
    StreamingQuery q = counts().writeStream().outputMode(OutputMode.UPDATE).format("memory")
        .queryName("stopped").start();
    ticks.addData(at("a", 1));
    q.processAllAvailable();
    QueryableState<String, Count> state = q.queryableState(String.class, Count.class);
    assertThat(state.get("a")).contains(new Count(1));
    q.stop();
    String closed = "\\[Sluice/Execution\\] state partition Stopped-groups-p\\d is closed because"
        + " its query stopped; its state can be read only while the query runs";
    assertThatThrownBy(() -> state.get("a")).isInstanceOf(SluiceException.class)
        .hasMessageMatching(closed);
    assertThatThrownBy(state::all).isInstanceOf(SluiceException.class)
        .hasMessageMatching(closed);
  }

  @Test
  void theTypesMustBeTheQuerys() {
    StreamingQuery q = counts().writeStream().outputMode(OutputMode.UPDATE).format("memory")
        .queryName("typed").start();
    assertThatThrownBy(() -> q.queryableState(Long.class, Count.class)).hasMessageContaining(
        "the state function keeps state of io.sluice.fixtures.Count by key java.lang.String,"
            + " not io.sluice.fixtures.Count by java.lang.Long");
    q.stop();
  }

  @Test
  void aQueryWithoutAStateFunctionHasNone() {
    StreamingQuery q = ticks.toDataset().writeStream().format("memory").queryName("plain")
        .start();
    assertThatThrownBy(() -> q.queryableState(String.class, Count.class))
        .hasMessageContaining("query 'plain' has no state function");
    q.stop();
  }

  /**
   * The state variables of {@code transformWithState}: a value, a list and a map per key, each
   * read by its name and declared types; values past their TTL are not shown.
   */
  @Nested
  class OfTransformWithState {
    private final ManualClock clock = new ManualClock(0);
    private final Sluice timed = Sluice.builder().statePartitions(3).clock(clock).build();
    private final MemoryStream<Tick> timedTicks = timed.memoryStream(Tick.class);

    @AfterEach
    void closeTimed() {
      timed.close();
    }

    private StreamingQuery start() {
      return timedTicks.toDataset().groupByKey(Tick::key, String.class)
          .transformWithState(new Keeper(), TimeMode.PROCESSING_TIME, OutputMode.UPDATE,
              KeyCount.class)
          .writeStream().outputMode(OutputMode.UPDATE).format("memory").queryName("kept")
          .start();
    }

    private static Tick tick(String key, long value) {
      return new Tick(key, Tick.T0, value);
    }

    @Test
    void valueListAndMapVariablesAreReadByKey() {
      StreamingQuery q = start();
      timedTicks.addData(tick("a", 7), tick("b", 8), tick("a", 7));
      q.processAllAvailable();
      assertThat(q.queryableValueState("count", String.class, Count.class).all())
          .isEqualTo(Map.of("a", new Count(2), "b", new Count(1)));
      assertThat(q.queryableListState("recent", String.class, Long.class).get("a"))
          .contains(List.of(7L, 7L));
      assertThat(q.queryableMapState("byValue", String.class, Long.class, Long.class).get("b"))
          .contains(Map.of(8L, 1L));
      assertThat(q.queryableValueState("count", String.class, Count.class).get("zzz")).isEmpty();
      q.stop();
    }

    @Test
    void valuesPastTheirTtlAreNotShown() {
      StreamingQuery q = start();
      QueryableState<String, List<Long>> recent =
          q.queryableListState("recent", String.class, Long.class);
      timedTicks.addData(tick("a", 1));
      q.processAllAvailable();
      clock.advance(Duration.ofSeconds(5));
      timedTicks.addData(tick("a", 2));
      q.processAllAvailable();
      assertThat(recent.get("a")).contains(List.of(1L, 2L));
      clock.advance(Duration.ofSeconds(5)); // 10 s: the first value's TTL has passed
      assertThat(recent.get("a")).contains(List.of(2L));
      clock.advance(Duration.ofSeconds(5));
      assertThat(recent.get("a")).isEmpty();
      assertThat(recent.all()).isEmpty();
      q.stop();
    }

    @Test
    void aReadAfterTheQueryStoppedSaysItsStateIsClosed() {
      StreamingQuery q = start();
      timedTicks.addData(tick("a", 7));
      q.processAllAvailable();
      QueryableState<String, Count> count =
          q.queryableValueState("count", String.class, Count.class);
      q.stop();
      assertThatThrownBy(() -> count.get("a")).isInstanceOf(SluiceException.class)
          .hasMessageMatching("\\[Sluice/Execution\\] state partition Kept-transform-p\\d is"
              + " closed because its query stopped; .*");
    }

    @Test
    void theNameKindAndTypesMustBeTheDeclaredOnes() {
      StreamingQuery q = start();
      assertThatThrownBy(() -> q.queryableValueState("total", String.class, Count.class))
          .hasMessageContaining("the StatefulProcessor declares no state variable 'total'; it"
              + " declares [count, recent, byValue]");
      assertThatThrownBy(() -> q.queryableValueState("recent", String.class, Long.class))
          .hasMessageContaining("state variable 'recent' is a ListState<Long>, not a"
              + " ValueState<Long>");
      assertThatThrownBy(() -> q.queryableMapState("byValue", String.class, String.class,
          long.class)).hasMessageContaining("state variable 'byValue' is a MapState<Long, Long>,"
              + " not a MapState<String, Long>");
      assertThatThrownBy(() -> q.queryableValueState("count", Long.class, Count.class))
          .hasMessageContaining("transformWithState keeps state by key java.lang.String, not"
              + " java.lang.Long");
      q.stop();
    }

    @Test
    void aPrimitiveKeyClassReadsTheBoxedKeys() {
      StreamingQuery q = timedTicks.toDataset().groupByKey(Tick::value, long.class)
          .transformWithState(new StatefulProcessor<Long, Tick, KeyCount>() {
            private ValueState<Long> seen;

            @Override
            public void init(OutputMode outputMode, TimeMode timeMode) {
              seen = getHandle().getValueState("seen", Long.class);
            }

            @Override
            public Iterable<KeyCount> handleInputRows(Long value, Iterator<Tick> rows,
                TimerValues timerValues) {
              seen.update(value * 10);
              return List.of();
            }
          }, TimeMode.NONE, OutputMode.UPDATE, KeyCount.class)
          .writeStream().outputMode(OutputMode.UPDATE).format("memory").queryName("byValue")
          .start();
      timedTicks.addData(tick("a", 4), tick("b", 5));
      q.processAllAvailable();
      QueryableState<Long, Long> seen = q.queryableValueState("seen", long.class, long.class);
      assertThat(seen.all()).isEqualTo(Map.of(4L, 40L, 5L, 50L));
      assertThat(seen.get(4L)).contains(40L);
      q.stop();
    }

    @Test
    void aQueryWithoutTransformWithStateHasNoVariables() {
      StreamingQuery q = counts().writeStream().outputMode(OutputMode.UPDATE).format("memory")
          .queryName("groups").start();
      assertThatThrownBy(() -> q.queryableValueState("count", String.class, Count.class))
          .hasMessageContaining("query 'groups' has no transformWithState whose state variable"
              + " 'count' to read");
      q.stop();
    }
  }
}
