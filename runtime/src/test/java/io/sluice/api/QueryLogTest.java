package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Click;
import io.sluice.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * What the engine logs of its queries: a line at start and at stop, progress at INFO at most once
 * per interval of the engine's clock however many batches run, every batch's JSON at DEBUG, and a
 * failure at ERROR naming the query and the batch.
 */
class QueryLogTest {
  private final ManualClock clock = new ManualClock(0);
  private final CapturedLog log = new CapturedLog();
  private final EventRecorder recorder = new EventRecorder();
  private final Sluice engine = Sluice.builder().clock(clock).log(log.logger())
      .listener(recorder).progressLogInterval(Duration.ofSeconds(10)).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private void batches(StreamingQuery query, int count) {
    for (int i = 0; i < count; i++) {
      clicks.addData(Click.of("ann", "home", i), Click.of("bob", "cart", i));
      query.processAllAvailable();
    }
  }

  @Test
  void aQueryLogsOneLineWhenItStartsAndOneWhenItStops(@TempDir Path checkpoint)
      throws Exception {
    StreamingQuery query = clicks.toDataset().writeStream().queryName("lifecycle")
        .format("memory").option("checkpointLocation", checkpoint.toString()).start();
    batches(query, 2);
    query.stop();

    assertThat(log.lines(Level.INFO, "started")).containsExactly("INFO query 'lifecycle'"
        + " started: id " + query.id() + ", runId " + query.runId() + ", checkpoint "
        + checkpoint);
    assertThat(log.lines(Level.INFO, "stopped")).containsExactly("INFO query 'lifecycle'"
        + " stopped after 2 batches in this run: id " + query.id() + ", runId "
        + query.runId());
  }

  @Test
  void progressIsLoggedAtInfoAtMostOncePerIntervalWhateverTheNumberOfBatches() {
    StreamingQuery query = clicks.toDataset().writeStream().queryName("paced").format("memory")
        .start();
    batches(query, 5); // batches 0-4 at time 0: only the first is reported
    clock.advance(Duration.ofSeconds(10));
    batches(query, 2); // batches 5 and 6 at 10 s: 5 is reported, with 1-5 since the last
    clock.advance(Duration.ofSeconds(9));
    batches(query, 1); // batch 7 at 19 s: too soon
    clock.advance(Duration.ofSeconds(1));
    batches(query, 1); // batch 8 at 20 s
    query.stop();

    List<String> info = log.lines(Level.INFO, "query 'paced' batch");
    assertThat(info).hasSize(3);
    assertThat(info.get(0)).startsWith("INFO query 'paced' batch 0: 2 rows in ")
        .endsWith("; 1 batches, 2 rows since the last report");
    assertThat(info.get(1)).startsWith("INFO query 'paced' batch 5: 2 rows in ")
        .endsWith("; 5 batches, 10 rows since the last report");
    assertThat(info.get(2)).startsWith("INFO query 'paced' batch 8: 2 rows in ")
        .endsWith("; 3 batches, 6 rows since the last report");
  }

  @Test
  void everyBatchIsLoggedAsJsonAtDebug() {
    StreamingQuery query = clicks.toDataset().writeStream().queryName("detailed")
        .format("memory").start();
    batches(query, 3);
    query.stop();

    List<String> debug = log.lines(Level.DEBUG, "query 'detailed' progress: {");
    assertThat(debug).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(debug.get(i)).contains("\"batchId\":" + i + ",").contains("\"durationMs\":{");
    }
  }

  @Test
  void theInfoLineCarriesTheWatermarkAndTheStateRowsWhenThereAreSome() {
    StreamingQuery query = clicks.toDataset().withWatermark("ts", "10 seconds")
        .groupBy("page").count().writeStream().queryName("stateful")
        .outputMode(OutputMode.UPDATE).format("memory").start();
    clicks.addData(Click.of("ann", "home", 30_000), Click.of("bob", "cart", 31_000));
    query.processAllAvailable();
    query.stop();

    assertThat(log.lines(Level.INFO, "query 'stateful' batch 0")).singleElement().asString()
        .contains(" rows/s), watermark 1970-01-01T00:00:00.000Z, 2 state rows; ");
  }

  @Test
  void aFailureIsLoggedAtErrorWithTheQueryAndTheBatch() throws Exception {
    StreamingQuery query = clicks.toDataset().map(c -> {
      if (c.user().equals("bob")) {
        throw new IllegalStateException("bob is not welcome");
      }
      return c;
    }, Click.class).writeStream().queryName("failing").format("memory").start();
    clicks.addData(Click.of("ann", "home", 1));
    query.processAllAvailable();
    clicks.addData(Click.of("bob", "home", 2));
    recorder.awaitTerminated();

    assertThat(log.lines(Level.ERROR, "")).singleElement().asString()
        .startsWith("ERROR query 'failing' failed in batch 1: id " + query.id())
        .contains("bob is not welcome");
    assertThat(log.lines(Level.INFO, "stopped")).isEmpty();
  }
}
