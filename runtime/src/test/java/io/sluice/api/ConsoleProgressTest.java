package io.sluice.api;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console line tells a query's last batch, the rows read so far, the rate, the watermark and
 * the state rows: as a new line per interval, or rewritten in place; a query's last line stays.
 */
class ConsoleProgressTest {
  private final ManualClock clock = new ManualClock(0);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final Sluice engine = Sluice.builder().clock(clock).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);
  private final EventRecorder recorder = new EventRecorder();

  @AfterEach
  void close() {
    engine.close();
  }

  /** What was printed, with each rate, which depends on the machine, as {@code N rows/s}. */
  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8).replaceAll("[\\d,]+ rows/s", "N rows/s");
  }

  private void listen(ConsoleProgress progress) {
    engine.addListener(progress);
    // After the console: once it has heard the end, the console has printed it.
    engine.addListener(recorder);
  }

  @Test
  void aLineComesAtMostOncePerIntervalAndTheLastOneWhenTheQueryStops() throws Exception {
    listen(ConsoleProgress.everyInterval(out, Duration.ofSeconds(5), clock));
    StreamingQuery query = ticks.toDataset().withWatermark("time", "10 seconds")
        .groupBy(window(col("time"), "10 seconds")).count().writeStream().queryName("windows")
        .outputMode(OutputMode.UPDATE).format("memory").start();
    // At 0 s: batch 0, shown, and batch 1 without data, which closes two windows, too soon.
    ticks.addData(at("a", 10), at("a", 20), at("a", 50));
    query.processAllAvailable();
    recorder.awaitLastBatchOf(query); // the console reads its clock when it hears a batch
    // At 5 s: batch 2, shown; 5 s is late and dropped, but read.
    clock.advance(Duration.ofSeconds(5));
    ticks.addData(at("a", 5), at("a", 45));
    query.processAllAvailable();
    recorder.awaitLastBatchOf(query);
    // Still at 5 s: batches 3 and 4 (without data, closing [40, 50)), too soon until the stop.
    ticks.addData(at("a", 60));
    query.processAllAvailable();
    query.stop();

    recorder.awaitTerminated();
    assertThat(printed().lines()).containsExactly(
        "windows: batch 0 | 3 rows | N rows/s | watermark 1970-01-01T00:00:00.000Z"
            + " | state 3 rows",
        "windows: batch 2 | 5 rows | N rows/s | watermark 2024-01-01T00:00:40.000Z"
            + " | state 2 rows",
        "windows: batch 4 | 6 rows | N rows/s | watermark 2024-01-01T00:00:50.000Z"
            + " | state 2 rows");
  }

  @Test
  void inPlaceTheLineIsRewrittenAndEndedWhenTheQueryStops() throws Exception {
    listen(ConsoleProgress.inPlace(out, clock));
    StreamingQuery query = ticks.toDataset().writeStream().queryName("plain").format("memory")
        .start();
    for (int i = 0; i < 3; i++) {
      ticks.addData(at("a", i));
      query.processAllAvailable();
      recorder.awaitLastBatchOf(query);
      clock.advance(Duration.ofMillis(50)); // a line at most every 100 ms: batches 0 and 2
    }
    query.stop();

    recorder.awaitTerminated();
    String printed = printed();
    assertThat(printed).startsWith("\r").endsWith(System.lineSeparator());
    List<String> drawn = Arrays.stream(printed.strip().split("\r")).map(String::stripTrailing)
        .toList();
    assertThat(drawn).containsExactly("plain: batch 0 | 1 rows | N rows/s",
        "plain: batch 2 | 3 rows | N rows/s");
  }

  @Test
  void aLongerLineBeforeIsCoveredWithSpaces() throws Exception {
    listen(ConsoleProgress.inPlace(out, clock));
    StreamingQuery query = ticks.toDataset().writeStream().queryName("plain").format("memory")
        .start();
    ticks.addData(at("a", 1));
    query.processAllAvailable();
    recorder.awaitLastBatchOf(query);
    clock.advance(Duration.ofSeconds(1));
    ticks.addData(at("a", 2));
    query.processAllAvailable();
    query.stop();

    recorder.awaitTerminated();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    String[] drawn = printed.substring(0, printed.length() - System.lineSeparator().length())
        .split("\r");
    assertThat(drawn).hasSize(3); // nothing, then two lines
    assertThat(drawn[2].length()).isGreaterThanOrEqualTo(drawn[1].length());
  }
}
