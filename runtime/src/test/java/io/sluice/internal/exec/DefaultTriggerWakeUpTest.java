package io.sluice.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Clock;
import io.sluice.api.MemoryStream;
import io.sluice.api.Sluice;
import io.sluice.api.Trigger;
import io.sluice.fixtures.Click;
import io.sluice.internal.connector.MemorySink;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A query with the default trigger runs its next batch when a source that can tell says it has
 * new data, not only at its next look. Each query here looks again only after an hour, so a batch
 * that follows new data at once can only have been woken by the source.
 */
class DefaultTriggerWakeUpTest {
  /** How long a test waits for what must happen; never reached when the test passes. */
  private static final long BOUND_MILLIS = 10_000;
  private static final long AN_HOUR = 3_600_000;
  private static final Logger LOG = LoggerFactory.getLogger(DefaultTriggerWakeUpTest.class);

  private final Sluice engine = Sluice.create();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);
  private final MemorySink sink = new MemorySink("woken");

  @AfterEach
  void close() {
    engine.close();
  }

  private StreamExecution start(Trigger trigger) {
    MicroBatchExecution batches = ApiBridge.Holder.get().prepare(
        clicks.toDataset().writeStream().queryName("woken"), sink);
    QueryReports reports = new QueryReports(new ListenerBus(LOG), LOG, Clock.system(), AN_HOUR,
        AN_HOUR);
    StreamExecution query = new StreamExecution(batches, trigger, Clock.system(), "",
        reports.forQuery(null), () -> { }, AN_HOUR);
    query.start();
    return query;
  }

  @Test
  void aMemoryStreamWakesAQueryWaitingForData() {
    StreamExecution query = start(Trigger.defaultTrigger());
    // Returns after a look that found nothing: the query then waits for an hour, or for data.
    query.processAllAvailable();

    clicks.addData(Click.of("ann", "home", 1));

    awaitCondition("the woken query wrote the row", () -> sink.rows().size() == 1);
    clicks.addData(Click.of("bob", "cart", 2), Click.of("cy", "home", 3));
    awaitCondition("the query woke again for more rows", () -> sink.rows().size() == 3);
    query.stop();
  }

  @Test
  void aStoppedQueryIsNoLongerWokenAndStillStops() {
    StreamExecution query = start(Trigger.defaultTrigger());
    query.processAllAvailable();
    query.stop();

    clicks.addData(Click.of("ann", "home", 1));

    assertThat(query.isActive()).isFalse();
    assertThat(sink.rows()).isEmpty();
  }

  private static void awaitCondition(String description, BooleanSupplier condition) {
    long deadline = System.nanoTime() + BOUND_MILLIS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + description);
      }
      Thread.onSpinWait();
    }
  }
}
