package io.sluice.api;

import static io.sluice.fixtures.Tick.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Tick;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The state of a running query's state function can be read from another thread, as Kafka
 * Streams' interactive queries, and every read sees the last committed batch: not a batch whose
 * state is written but whose output is not.
 */
class QueryableStateTest {
  private final Sluice engine = Sluice.builder().statePartitions(3).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static long count(Iterator<Tick> values) {
    long n = 0;
    for (; values.hasNext(); values.next()) {
      n++;
    }
    return n;
  }

  private Dataset<KeyCount> counts() {
    return ticks.toDataset().groupByKey(Tick::key, String.class)
        .mapGroupsWithState((String key, Iterator<Tick> values, GroupState<Count> state) -> {
          long n = state.getOption().map(Count::n).orElse(0L) + count(values);
          state.update(new Count(n));
          return new KeyCount(key, n);
        }, Count.class, KeyCount.class);
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
}
