package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.StreamingQueryListener.QueryIdleEvent;
import io.sluice.api.StreamingQueryListener.QueryStartedEvent;
import io.sluice.api.StreamingQueryListener.QueryTerminatedEvent;
import io.sluice.fixtures.Click;
import io.sluice.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Listeners hear each query start, finish each batch, stay idle a while and stop, in that order,
 * on the engine's listener thread; a slow or failing listener changes nothing for the queries.
 */
class StreamingQueryListenerTest {
  private final ManualClock clock = new ManualClock(0);
  private final CapturedLog log = new CapturedLog();
  private final EventRecorder recorder = new EventRecorder();
  private final Sluice engine = Sluice.builder().clock(clock).log(log.logger())
      .listener(recorder).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private StreamingQuery start(String name) {
    return clicks.toDataset().writeStream().queryName(name).format("memory").start();
  }

  /** Runs one batch over a new click. */
  private void batch(StreamingQuery query, String user) {
    clicks.addData(Click.of(user, "home", 1));
    query.processAllAvailable();
  }

  @Test
  void aQueryIsHeardStartingThenAtEachBatchThenStopping() throws Exception {
    StreamingQuery query = start("heard");
    batch(query, "ann");
    batch(query, "bob");
    query.stop();

    recorder.awaitTerminated();
    assertThat(recorder.kinds()).containsExactly("QueryStartedEvent", "QueryProgressEvent",
        "QueryProgressEvent", "QueryTerminatedEvent");
    assertThat(recorder.batchIds()).containsExactly(0L, 1L);
    assertThat(recorder.events().get(0)).isEqualTo(new QueryStartedEvent(query.id(),
        query.runId(), "heard", "1970-01-01T00:00:00.000Z"));
    assertThat(recorder.events().get(3))
        .isEqualTo(new QueryTerminatedEvent(query.id(), query.runId(), null, null));
  }

  @Test
  void listenersAreCalledOnTheEngineListenerThreadNeverOnTheQueryThread() throws Exception {
    StreamingQuery query = start("threads");
    batch(query, "ann");
    query.stop();

    recorder.awaitTerminated();
    assertThat(recorder.threads()).hasSize(3).containsOnly("sluice-listener-bus");
  }

  @Test
  void aFailedQueryTellsItsExceptionAndErrorClass() throws Exception {
    StreamingQuery query = clicks.toDataset().map(c -> {
      throw new IllegalStateException("no clicks today");
    }, Click.class).writeStream().queryName("failing").format("memory").start();
    clicks.addData(Click.of("ann", "home", 1));

    recorder.awaitTerminated();
    QueryTerminatedEvent terminated = (QueryTerminatedEvent) recorder.events().get(1);
    assertThat(terminated.id()).isEqualTo(query.id());
    assertThat(terminated.errorClassOnException()).isEqualTo("Execution");
    assertThat(terminated.exception()).contains("query 'failing' failed in batch 0")
        .contains("IllegalStateException: no clicks today").contains("\tat ");
  }

  @Test
  void aSlowListenerDoesNotHoldUpTheQueryAndStillHearsEverythingInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    engine.addListener(new StreamingQueryListener() {
      @Override
      public void onQueryProgress(QueryProgressEvent event) {
        awaitQuietly(release);
      }
    });
    StreamingQuery query = start("slow");
    batch(query, "ann");
    batch(query, "bob");
    batch(query, "cy");
    query.stop();
    // The query ran and stopped while the slow listener still held its first progress event.
    assertThat(query.recentProgress()).hasSize(3);
    assertThat(recorder.kinds()).doesNotContain("QueryTerminatedEvent");

    release.countDown();
    recorder.awaitTerminated();
    assertThat(recorder.batchIds()).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aListenerThatThrowsIsLoggedAndKeepsHearingAndTheQueryGoesOn() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    engine.addListener(new StreamingQueryListener() {
      @Override
      public void onQueryProgress(QueryProgressEvent event) {
        calls.incrementAndGet();
        throw new IllegalStateException("listener bug");
      }
    });
    StreamingQuery query = start("thrown-at");
    batch(query, "ann");
    batch(query, "bob");
    query.stop();

    recorder.awaitTerminated();
    assertThat(query.exception()).isNull();
    assertThat(recorder.batchIds()).containsExactly(0L, 1L);
    assertThat(calls).hasValue(2);
    assertThat(log.lines(Level.WARN, "failed on QueryProgressEvent")).hasSize(2)
        .allMatch(l -> l.endsWith("IllegalStateException: listener bug"));
  }

  @Test
  void anIdleQueryIsHeardOncePerIntervalWithoutData() throws Exception {
    StreamingQuery query = start("idle");
    query.processAllAvailable(); // idle from time 0: the count starts
    clock.advance(Duration.ofSeconds(9));
    query.processAllAvailable();
    clock.advance(Duration.ofSeconds(1));
    query.processAllAvailable(); // 10 s without data: idle
    query.processAllAvailable(); // and not again at once
    batch(query, "ann"); // at 10 s: the count starts again
    clock.advance(Duration.ofSeconds(9));
    query.processAllAvailable();
    clock.advance(Duration.ofSeconds(1));
    query.processAllAvailable(); // 10 s after the batch
    query.stop();

    recorder.awaitTerminated();
    assertThat(recorder.kinds()).containsExactly("QueryStartedEvent", "QueryIdleEvent",
        "QueryProgressEvent", "QueryIdleEvent", "QueryTerminatedEvent");
    assertThat(recorder.events().get(1)).isEqualTo(
        new QueryIdleEvent(query.id(), query.runId(), "1970-01-01T00:00:10.000Z"));
    assertThat(((QueryIdleEvent) recorder.events().get(3)).timestamp())
        .isEqualTo("1970-01-01T00:00:20.000Z");
  }

  @Test
  void theIdleIntervalIsAnEngineSetting() throws Exception {
    EventRecorder heard = new EventRecorder();
    try (Sluice quick = Sluice.builder().clock(clock).listener(heard)
        .noDataProgressEventInterval(Duration.ofSeconds(1)).build()) {
      StreamingQuery query = quick.memoryStream(Click.class).toDataset().writeStream()
          .queryName("quick").format("memory").start();
      query.processAllAvailable();
      clock.advance(Duration.ofSeconds(1));
      query.processAllAvailable();
      query.stop();
      heard.awaitTerminated();
    }
    assertThat(heard.kinds()).containsExactly("QueryStartedEvent", "QueryIdleEvent",
        "QueryTerminatedEvent");
  }

  @Test
  void aRemovedListenerHearsNoMore() throws Exception {
    EventRecorder removed = new EventRecorder();
    engine.addListener(removed);
    StreamingQuery first = start("first");
    first.stop();
    removed.awaitTerminated();
    engine.removeListener(removed);

    StreamingQuery second = start("second");
    second.stop();
    recorder.awaitTerminated().awaitTerminated();
    assertThat(removed.kinds()).containsExactly("QueryStartedEvent", "QueryTerminatedEvent");
    assertThat(recorder.kinds()).hasSize(4);
  }

  @Test
  void aListenerThatClosesTheEngineStillLetsEveryStoppedQueryBeHeard() throws Exception {
    StreamingQuery first = start("first");
    StreamingQuery second = start("second");
    engine.addListener(new StreamingQueryListener() {
      @Override
      public void onQueryTerminated(QueryTerminatedEvent event) {
        // As an application that shuts down when its main query ends: on the bus's own thread.
        engine.close();
      }
    });
    first.stop();

    recorder.awaitTerminated().awaitTerminated();
    assertThat(second.isActive()).isFalse();
    assertThat(recorder.events()).filteredOn(e -> e instanceof QueryTerminatedEvent)
        .extracting(e -> ((QueryTerminatedEvent) e).runId())
        .containsExactly(first.runId(), second.runId());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
