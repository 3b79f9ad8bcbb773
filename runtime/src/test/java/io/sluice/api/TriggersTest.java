package io.sluice.api;

import static io.sluice.api.ApiTestSupport.awaitCondition;
import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Click;
import io.sluice.fixtures.PageCount;
import io.sluice.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each trigger through a started query on its own thread, and the life of a query handle: stop,
 * isActive, and failures surfacing through exception() and awaitTermination().
 */
class TriggersTest {
  /** A bound on how long a test waits for a query to stop; never reached when the test passes. */
  private static final long BOUND_MILLIS = 10_000;

  /**
   * A manual clock that also tells which time a query thread is waiting for, so that a test can
   * wait until the query is parked on the clock: from then on nothing happens until it advances.
   */
  private static final class WatchedClock implements Clock {
    private final ManualClock clock = new ManualClock(0);
    private volatile long waitingFor = -1;

    @Override
    public long millis() {
      return clock.millis();
    }

    @Override
    public void waitUntil(long targetMillis) throws InterruptedException {
      waitingFor = targetMillis;
      try {
        clock.waitUntil(targetMillis);
      } finally {
        waitingFor = -1;
      }
    }

    void advance(Duration by) {
      clock.advance(by);
    }

    /** Waits until a query is parked until {@code targetMillis}. */
    void awaitWaiterFor(long targetMillis) {
      awaitCondition("a query waits for the clock to reach " + targetMillis,
          () -> waitingFor == targetMillis);
    }
  }

  private final WatchedClock clock = new WatchedClock();
  private final Sluice engine = Sluice.builder().clock(clock).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private DataStreamWriter<Click> toMemory(String name) {
    return clicks.toDataset().writeStream().format("memory").queryName(name);
  }

  private static List<Long> batchIds(StreamingQuery q) {
    return q.recentProgress().stream().map(StreamingQueryProgress::batchId).toList();
  }

  @Nested
  class DefaultTrigger {
    @Test
    void runsABatchAsSoonAsDataArrivesWithoutTheClockMoving() {
      StreamingQuery q = toMemory("asap").start();

      clicks.addData(Click.of("ann", "home", 1));
      q.processAllAvailable();
      clicks.addData(Click.of("bob", "cart", 2));
      q.processAllAvailable();

      assertThat(clock.millis()).isZero();
      assertThat(batchIds(q)).containsExactly(0L, 1L);
      assertThat(multiset(engine.table("asap"))).isEqualTo(multiset(List.of(
          row("ann", "home", 1L, null), row("bob", "cart", 2L, null))));
      assertThat(q.isActive()).isTrue();
      q.stop();
    }

    @Test
    void runsNoBatchWhileThereIsNoNewData() {
      StreamingQuery q = toMemory("idle").start();
      clicks.addData(Click.of("ann", "home", 1));
      q.processAllAvailable();

      q.processAllAvailable();
      q.processAllAvailable();

      assertThat(batchIds(q)).containsExactly(0L);
      assertThat(q.lastProgress().numInputRows()).isEqualTo(1);
      q.stop();
    }
  }

  @Nested
  class ProcessingTimeTrigger {
    @Test
    void firesOncePerIntervalOfTheEngineClockAndOnlyWhenThereIsNewData() {
      StreamingQuery q = toMemory("ticks").trigger(Trigger.processingTime("1 second")).start();
      // The first trigger fires at start and finds nothing; then the query waits for 1000 ms.
      clock.awaitWaiterFor(1000);

      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
      assertThat(q.recentProgress()).as("no batch before the interval has passed").isEmpty();

      clock.advance(Duration.ofMillis(1000));
      clock.awaitWaiterFor(2000);
      assertThat(batchIds(q)).containsExactly(0L);
      assertThat(q.lastProgress().numInputRows()).isEqualTo(2);
      assertThat(q.lastProgress().timestamp()).isEqualTo("1970-01-01T00:00:01.000Z");
      assertThat(engine.table("ticks")).hasSize(2);

      clock.advance(Duration.ofMillis(1000));
      clock.awaitWaiterFor(3000);
      assertThat(batchIds(q)).as("no batch for an interval without new data").containsExactly(0L);

      clicks.addData(Click.of("cy", "home", 3));
      clock.advance(Duration.ofMillis(500));
      assertThat(batchIds(q)).as("half an interval fires nothing").containsExactly(0L);
      clock.advance(Duration.ofMillis(500));
      clock.awaitWaiterFor(4000);
      assertThat(batchIds(q)).containsExactly(0L, 1L);
      assertThat(q.lastProgress().timestamp()).isEqualTo("1970-01-01T00:00:03.000Z");
      assertThat(engine.table("ticks")).hasSize(3);
      q.stop();
    }

    @Test
    void aClockThatJumpsSeveralIntervalsFiresOneBatchNotABurstOfCatchUps() {
      StreamingQuery q = toMemory("jump").trigger(Trigger.processingTime(Duration.ofSeconds(1)))
          .start();
      clock.awaitWaiterFor(1000);

      clicks.addData(Click.of("ann", "home", 1));
      clock.advance(Duration.ofMillis(5500));
      // Catching up would wait for 2000, 3000, 4000 and 5000 at once, then park until 6000.
      clock.awaitWaiterFor(6500);

      assertThat(q.recentProgress()).extracting(StreamingQueryProgress::timestamp)
          .containsExactly("1970-01-01T00:00:05.500Z");
      q.stop();
    }

    @Test
    void aBatchThatOverrunsItsIntervalIsFollowedAtOnce() {
      StreamingQuery q = clicks.toDataset().writeStream().trigger(Trigger.processingTime(1000))
          .foreachBatch((batch, id) -> {
            if (id == 0) {
              // A slow batch: processing time moves 2.5 intervals while it runs.
              clicks.addData(Click.of("late", "home", 2));
              clock.advance(Duration.ofMillis(2500));
            }
          }).start();
      clock.awaitWaiterFor(1000);
      clicks.addData(Click.of("ann", "home", 1));

      clock.advance(Duration.ofMillis(1000));
      clock.awaitWaiterFor(4500);

      assertThat(q.recentProgress()).extracting(StreamingQueryProgress::timestamp)
          .containsExactly("1970-01-01T00:00:01.000Z", "1970-01-01T00:00:03.500Z");
      q.stop();
    }

    @Test
    void stopEndsAQueryWaitingForItsNextTrigger() throws InterruptedException {
      StreamingQuery q = toMemory("parked").trigger(Trigger.processingTime(60_000)).start();
      clock.awaitWaiterFor(60_000);

      q.stop();

      assertThat(q.isActive()).isFalse();
      assertThat(q.awaitTermination(BOUND_MILLIS)).isTrue();
      assertThat(q.exception()).isNull();
      assertThat(clock.millis()).isZero();
    }

    @Test
    void intervalsAreReadFromText() {
      assertThat(Trigger.processingTime("500 ms").interval()).isEqualTo(Duration.ofMillis(500));
      assertThat(Trigger.processingTime("10 seconds").interval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(Trigger.processingTime("2 minutes").interval()).isEqualTo(Duration.ofMinutes(2));
      assertThat(Trigger.processingTime("1 hour").interval()).isEqualTo(Duration.ofHours(1));
      assertThatThrownBy(() -> Trigger.processingTime("soon"))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("cannot read trigger interval 'soon'");
      assertThatThrownBy(() -> Trigger.processingTime(Duration.ofSeconds(-1)))
          .hasMessageContaining("must not be negative");
    }
  }

  @Nested
  class OnceTrigger {
    @Test
    void runsOneBatchOfEverythingAvailableThenStopsByItself() throws InterruptedException {
      clicks.addData(Click.of("ann", "home", 1));
      clicks.addData(Click.of("bob", "cart", 2), Click.of("cy", "home", 3));

      StreamingQuery q = toMemory("once").trigger(Trigger.once()).start();

      assertThat(q.awaitTermination(BOUND_MILLIS)).as("stopped by itself").isTrue();
      assertThat(q.isActive()).isFalse();
      assertThat(q.exception()).isNull();
      assertThat(batchIds(q)).containsExactly(0L);
      assertThat(q.lastProgress().numInputRows()).isEqualTo(3);
      assertThat(engine.table("once")).hasSize(3);
      assertThat(engine.activeQueries()).doesNotContain(q);
    }

    @Test
    void readsEverythingAvailableInItsOneBatchDespiteAReadLimit(@TempDir Path dir)
        throws InterruptedException {
      writeFile(dir, "a.json", 1, "{\"user\":\"ann\",\"page\":\"home\",\"ts\":1}");
      writeFile(dir, "b.json", 2, "{\"user\":\"bob\",\"page\":\"cart\",\"ts\":2}");
      writeFile(dir, "c.json", 3, "{\"user\":\"cy\",\"page\":\"help\",\"ts\":3}");

      StreamingQuery q = engine.readStream().option("maxFilesPerTrigger", 1)
          .json(dir.toString(), Click.class).writeStream().format("memory").queryName("once")
          .trigger(Trigger.once()).start();

      assertThat(q.awaitTermination(BOUND_MILLIS)).isTrue();
      assertThat(batchIds(q)).containsExactly(0L);
      assertThat(engine.table("once")).hasSize(3);
    }

    @Test
    void stopsWithoutABatchWhenThereIsNoData() throws InterruptedException {
      StreamingQuery q = toMemory("empty").trigger(Trigger.once()).start();

      q.awaitTermination();

      assertThat(q.recentProgress()).isEmpty();
      assertThat(q.lastProgress()).isNull();
    }
  }

  @Nested
  class AvailableNowTrigger {
    @TempDir Path dir;

    @Test
    void readsEveryFileInBatchesTheReadLimitAllowsThenStops() throws InterruptedException {
      writeFile(dir, "a.json", 1, "{\"user\":\"ann\",\"page\":\"home\",\"ts\":1}");
      writeFile(dir, "b.json", 2, "{\"user\":\"bob\",\"page\":\"cart\",\"ts\":2}",
          "{\"user\":\"bob\",\"page\":\"home\",\"ts\":3}");
      writeFile(dir, "c.json", 3, "{\"user\":\"cy\",\"page\":\"help\",\"ts\":4}");
      Dataset<Click> files = engine.readStream().option("maxFilesPerTrigger", 1)
          .json(dir.toString(), Click.class);

      StreamingQuery q = files.select("user", "ts").writeStream().format("memory")
          .queryName("files").trigger(Trigger.availableNow()).start();

      assertThat(q.awaitTermination(BOUND_MILLIS)).as("stopped by itself").isTrue();
      assertThat(q.exception()).isNull();
      assertThat(batchIds(q)).containsExactly(0L, 1L, 2L);
      assertThat(q.recentProgress()).extracting(StreamingQueryProgress::numInputRows)
          .containsExactly(1L, 2L, 1L);
      assertThat(multiset(engine.table("files"))).isEqualTo(multiset(List.of(row("ann", 1L),
          row("bob", 2L), row("bob", 3L), row("cy", 4L))));
    }

    @Test
    void withoutAReadLimitReadsEverythingInOneBatch() throws InterruptedException {
      writeFile(dir, "a.json", 1, "{\"user\":\"ann\",\"page\":\"home\",\"ts\":1}");
      writeFile(dir, "b.json", 2, "{\"user\":\"bob\",\"page\":\"cart\",\"ts\":2}");

      StreamingQuery q = engine.readStream().json(dir.toString(), Click.class).writeStream()
          .format("memory").queryName("all").trigger(Trigger.availableNow()).start();

      assertThat(q.awaitTermination(BOUND_MILLIS)).isTrue();
      assertThat(batchIds(q)).containsExactly(0L);
      assertThat(engine.table("all")).hasSize(2);
    }
  }

  @Nested
  class QueryLifecycle {
    @Test
    void aStartedQueryIsActiveUntilStopped() throws InterruptedException {
      StreamingQuery q = toMemory("life").start();
      assertThat(q.isActive()).isTrue();
      assertThat(engine.activeQueries()).contains(q);
      assertThat(q.name()).isEqualTo("life");

      q.stop();

      assertThat(q.isActive()).isFalse();
      assertThat(q.awaitTermination(BOUND_MILLIS)).isTrue();
      assertThat(engine.activeQueries()).doesNotContain(q);
      q.stop(); // stopping twice is harmless
    }

    @Test
    void closingTheEngineStopsItsQueries() {
      StreamingQuery q = toMemory("closed").start();

      engine.close();

      assertThat(q.isActive()).isFalse();
    }

    @Test
    void eachStartGetsANewRunId() {
      StreamingQuery first = toMemory("first").start();
      StreamingQuery second = toMemory("second").start();

      assertThat(first.runId()).isNotEqualTo(second.runId());
      first.stop();
      second.stop();
    }
  }

  @Nested
  class Failures {
    @TempDir Path dir;

    @Test
    void anExceptionInAMapFunctionStopsTheQueryAndIsRethrown() throws InterruptedException {
      Dataset<PageCount> mapped = clicks.toDataset().map(c -> {
        if (c.page().equals("boom")) {
          throw new IllegalStateException("cannot count page boom");
        }
        return new PageCount(c.page(), c.ts());
      }, PageCount.class);
      StreamingQuery q = mapped.writeStream().format("memory").queryName("mapper").start();
      clicks.addData(Click.of("ann", "home", 1));
      q.processAllAvailable();

      clicks.addData(Click.of("bob", "boom", 2));

      assertThatThrownBy(q::processAllAvailable).isSameAs(awaitFailure(q));
      SluiceException failure = q.exception();
      assertThat(failure.kind()).isEqualTo(ErrorKind.EXECUTION);
      assertThat(failure).hasMessageContaining("query 'mapper' failed in batch 1")
          .hasMessageContaining("IllegalStateException: cannot count page boom")
          .hasRootCauseInstanceOf(IllegalStateException.class);
      assertThatThrownBy(q::awaitTermination).isSameAs(failure);
      assertThat(q.isActive()).isFalse();
      assertThat(engine.table("mapper")).hasSize(1);
    }

    @Test
    void aMalformedJsonLineFailsTheQueryNamingFileLineQueryAndBatch() {
      Path file = writeFile(dir, "clicks.json", 1, "{\"user\":\"ann\",\"page\":\"home\",\"ts\":1}",
          "{\"user\":\"bob\",\"page\":\"cart\",\"ts\":\"yesterday\"}");
      StreamingQuery q = engine.readStream().json(dir.toString(), Click.class).writeStream()
          .format("memory").queryName("reader").start();

      SluiceException failure = awaitFailure(q);

      assertThat(failure.kind()).isEqualTo(ErrorKind.MALFORMED_RECORD);
      assertThat(failure).hasMessageContaining("query 'reader'")
          .hasMessageContaining("batch 0")
          .hasMessageContaining(file + " line 2");
      assertThat(q.isActive()).isFalse();
      assertThat(engine.table("reader")).as("nothing of the failed batch is written").isEmpty();
    }

    @Test
    void aFailureInForeachBatchIsRethrownWithTheBatchId() {
      StreamingQuery q = clicks.toDataset().writeStream().foreachBatch((batch, id) -> {
        throw new IOException("disk full");
      }).queryName("sink").start();
      clicks.addData(Click.of("ann", "home", 1));

      SluiceException failure = awaitFailure(q);

      assertThat(failure).hasMessageContaining("query 'sink' failed in batch 0")
          .hasMessageContaining("foreachBatch function failed on batch 0")
          .hasMessageContaining("disk full");
    }

    /** The failure awaitTermination throws, waiting at most the bound. */
    private SluiceException awaitFailure(StreamingQuery q) {
      try {
        assertThat(q.awaitTermination(BOUND_MILLIS)).as("query stopped").isTrue();
      } catch (SluiceException e) {
        assertThat(q.exception()).isSameAs(e);
        return e;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      throw new AssertionError("query stopped without a failure");
    }
  }
}
