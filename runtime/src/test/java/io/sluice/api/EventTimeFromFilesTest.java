package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.writeFile;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Measurement;
import io.sluice.fixtures.Reading;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event time read from JSON and CSV files that write their timestamps as text: ISO-8601 by
 * default or the {@code timestampFormat} pattern, into an {@code Instant} or an epoch-millisecond
 * {@code long}, drives windows and the watermark as it does from memory; a timestamp that does not
 * parse is a bad record like any other, under each policy.
 *
 * <p>Most tests run the same events, only spelled differently: ten-second windows per key with a
 * five-second watermark, in append mode. The rows each batch writes are worked out by hand in
 * {@link #runTheSameEvents}.
 */
class EventTimeFromFilesTest {
  private final Sluice engine = Sluice.builder().statePartitions(2).build();

  @TempDir Path dir;
  @TempDir Path deadLetters;

  @AfterEach
  void close() {
    engine.close();
  }

  private static TimeWindow w(long startSeconds, long endSeconds) {
    return new TimeWindow(ms(startSeconds), ms(endSeconds));
  }

  /** One event as a line of a file: key and event time, in seconds after {@link Tick#T0}. */
  @FunctionalInterface
  private interface Spelling {
    String line(String key, long seconds);
  }

  /** Counts per ten-second window and key, watermark five seconds behind. */
  private static Dataset<Row> counts(Dataset<?> events, String time, String key) {
    return events.withWatermark(time, "5 seconds")
        .groupBy(window(col(time), "10 seconds"), col(key)).agg(count("*").as("n"));
  }

  private static QueryTester appendTester(Dataset<Row> counts) {
    return QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND).queryName("counts"));
  }

  /** Runs exactly one batch and checks its rows, in any order. */
  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  /**
   * Three files of the same events, each added before the batch that reads it, each batch followed
   * by the no-data batch that moves eviction to its watermark. {@code header} starts each file.
   */
  private void runTheSameEvents(QueryTester t, String extension, List<String> header,
      Spelling spelling) {
    // Batch 0 runs with watermark 0: nothing closes. Max 12 s: watermark 7 s.
    write("1." + extension, 1, header, spelling.line("a", 1), spelling.line("a", 3),
        spelling.line("b", 4), spelling.line("a", 12));
    batch(t);
    // No data, watermark 7 s: [0, 10) ends at 10 s, still open.
    batch(t);
    // 8 s is behind the watermark, but its window is open. Max 16 s: watermark 11 s.
    write("2." + extension, 2, header, spelling.line("b", 8), spelling.line("a", 16));
    batch(t);
    // No data, watermark 11 s: [0, 10) closes, a with 1 and 3, b with 4 and 8.
    batch(t, row(w(0, 10), "a", 2L), row(w(0, 10), "b", 2L));
    // 5 s falls in [0, 10), closed: dropped. Max 25 s: watermark 20 s.
    write("3." + extension, 3, header, spelling.line("a", 5), spelling.line("b", 25));
    batch(t);
    assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark()).isEqualTo(1);
    // No data, watermark 20 s: [10, 20) closes, a with 12 and 16.
    batch(t, row(w(10, 20), "a", 2L));
    t.expectNoBatch();
  }

  private Path write(String name, long order, List<String> header, String... lines) {
    return writeFile(dir, name, order,
        Stream.concat(header.stream(), Stream.of(lines)).toArray(String[]::new));
  }

  private static String iso(long seconds) {
    return Instant.ofEpochMilli(ms(seconds)).toString();
  }

  /** {@code seconds} after T0 as {@code yyyy/MM/dd HH:mm:ss}: T0 is midnight, so under a minute. */
  private static String slashes(long seconds) {
    return String.format(Locale.ROOT, "2024/01/01 00:00:%02d", seconds);
  }

  private static String tickJson(String key, String time) {
    return "{\"key\":\"" + key + "\",\"time\":\"" + time + "\",\"value\":1}";
  }

  /** {@code ts} as JSON: a quoted string or a number. */
  private static String measurementJson(String sensor, String ts) {
    return "{\"sensor\":\"" + sensor + "\",\"ts\":" + ts + ",\"value\":1.5}";
  }

  @Nested
  class IsoText {
    @Test
    void jsonTimestampsInAnyIsoFormFillAnInstant() {
      // The forms the default parser accepts, line by line in turn: UTC with Z, a space instead
      // of the T and no zone (read as UTC, not the machine's zone), an offset, and fractions of a
      // second.
      int[] lines = {0};
      Spelling spelling = (key, s) -> tickJson(key, switch (lines[0]++ % 4) {
        case 0 -> iso(s);
        case 1 -> iso(s).replace('T', ' ').replace("Z", "");
        case 2 -> OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms(s)), ZoneOffset.ofHours(2))
            .toString();
        default -> iso(s).replace("Z", ".000Z");
      });
      try (QueryTester t = appendTester(
          counts(engine.readStream().json(dir.toString(), Tick.class), "time", "key"))) {
        runTheSameEvents(t, "json", List.of(), spelling);
      }
    }

    @Test
    void csvTimestampsFillAnInstant() {
      try (QueryTester t = appendTester(counts(engine.readStream().option("header", true)
          .csv(dir.toString(), Tick.class), "time", "key"))) {
        runTheSameEvents(t, "csv", List.of("key,time,value"), (key, s) -> key + "," + iso(s) + ",1");
      }
    }
  }

  @Nested
  class TimestampFormatOption {
    @Test
    void jsonTimestampsInThePatternFillAnInstant() {
      try (QueryTester t = appendTester(counts(engine.readStream()
          .option("timestampFormat", "yyyy/MM/dd HH:mm:ss").json(dir.toString(), Tick.class),
          "time", "key"))) {
        runTheSameEvents(t, "json", List.of(), (key, s) -> tickJson(key, slashes(s)));
      }
    }

    @Test
    void csvTimestampsInThePatternFillAnEpochMillisecondLong() {
      try (QueryTester t = appendTester(counts(engine.readStream()
          .option("timestampFormat", "yyyy/MM/dd HH:mm:ss").option("header", true)
          .csv(dir.toString(), Measurement.class), "ts", "sensor"))) {
        runTheSameEvents(t, "csv", List.of("sensor,ts,value"),
            (key, s) -> key + "," + slashes(s) + ",1.5");
      }
    }
  }

  /**
   * A {@code long} marked {@code @EventTime} holds epoch milliseconds, and a file may write it as
   * a number or as timestamp text; any other {@code long} takes numbers only, so that text in it
   * is still a producer's mistake and a bad record.
   */
  @Nested
  class EpochMillisecondLongs {
    @Test
    void jsonTimestampTextFillsALongMarkedAsTheEventTime() {
      try (QueryTester t = appendTester(counts(engine.readStream()
          .json(dir.toString(), Measurement.class), "ts", "sensor"))) {
        runTheSameEvents(t, "json", List.of(), (key, s) -> measurementJson(key, "\"" + iso(s)
            + "\""));
      }
    }

    @Test
    void csvTimestampTextFillsALongMarkedAsTheEventTime() {
      try (QueryTester t = appendTester(counts(engine.readStream()
          .csv(dir.toString(), Measurement.class), "ts", "sensor"))) {
        runTheSameEvents(t, "csv", List.of(), (key, s) -> key + "," + iso(s) + ",1.5");
      }
    }

    @Test
    void numbersStillFillIt() {
      try (QueryTester t = appendTester(counts(engine.readStream()
          .json(dir.toString(), Measurement.class), "ts", "sensor"))) {
        runTheSameEvents(t, "json", List.of(), (key, s) -> measurementJson(key,
            Long.toString(ms(s))));
      }
    }

    @Test
    void aLongNotMarkedAsTheEventTimeTakesNoTimestampText() {
      Path file = write("1.csv", 1, List.of(), "s1,100,1.5", "s1," + iso(1) + ",1.5");
      try (QueryTester t = QueryTester.of(engine.readStream().csv(dir.toString(), Reading.class)
          .writeStream().queryName("readings"))) {
        assertThatThrownBy(t::runBatch).hasMessageContaining("malformed record in " + file
            + " line 2: field 'ts' expects BIGINT but found '2024-01-01T00:00:01Z'");
      }
    }
  }

  /**
   * A timestamp that does not parse makes its line a bad record: the policy decides whether the
   * query fails or goes on without it. File 1 has one on line 2.
   */
  @Nested
  class BadTimestamps {
    private static final String BAD_LINE =
        "{\"key\":\"a\",\"time\":\"01/01/2024 00:00:02\",\"value\":1}";
    private static final String WHY = "field 'time' expects TIMESTAMP but found"
        + " '01/01/2024 00:00:02' (expected ISO-8601, e.g. 2024-01-01T00:00:00Z)";

    private Path writeFileWithABadTimestamp() {
      return write("1.json", 1, List.of(), tickJson("a", iso(1)), BAD_LINE, tickJson("a", iso(3)),
          tickJson("b", iso(12)));
    }

    private QueryTester tester(String policy) {
      return appendTester(counts(engine.readStream().option("badRecords", policy)
          .option("badRecordsPath", deadLetters.toString()).json(dir.toString(), Tick.class),
          "time", "key"));
    }

    /**
     * The lines around the bad one count: a with 1 and 3 in [0, 10), b with 12 in [10, 20). A
     * second file moves the watermark to 25 s, which closes both.
     */
    private void theRestOfTheFileCounts(QueryTester t) {
      batch(t); // watermark after: 7 s
      assertThat(t.lastProgress().numInputRows()).isEqualTo(3);
      assertThat(t.lastProgress().sources().get(0).metrics()).containsEntry("numMalformedRows",
          "1");
      batch(t); // no data: nothing closes at 7 s
      write("2.json", 2, List.of(), tickJson("b", iso(30)));
      batch(t); // watermark after: 25 s
      batch(t, row(w(0, 10), "a", 2L), row(w(10, 20), "b", 1L));
    }

    @Test
    void failStopsTheQueryNamingTheFileTheLineAndTheColumn() {
      Path file = writeFileWithABadTimestamp();
      try (QueryTester t = tester("fail")) {
        assertThatThrownBy(t::runBatch)
            .isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RECORD))
            .hasMessageContaining("query 'counts' failed in batch 0 at source")
            .hasMessageEndingWith("malformed record in " + file + " line 2: " + WHY);
        assertThat(t.nextBatchId()).as("the batch did not commit").isZero();
      }
    }

    @Test
    void dropCountsTheLineAndReadsTheRestOfTheFile() {
      writeFileWithABadTimestamp();
      try (QueryTester t = tester("drop")) {
        theRestOfTheFileCounts(t);
      }
      assertThat(deadLetters).isEmptyDirectory();
    }

    @Test
    void deadLetterWritesTheLineWhereItWasAsked() throws IOException {
      Path file = writeFileWithABadTimestamp();
      try (QueryTester t = tester("deadLetter")) {
        theRestOfTheFileCounts(t);
      }
      List<Path> written;
      try (Stream<Path> files = Files.list(deadLetters)) {
        written = files.toList();
      }
      assertThat(written).hasSize(1);
      // One JSON line per bad record: where it was, why, and the line itself, unchanged.
      assertThat(Files.readAllLines(written.get(0), StandardCharsets.UTF_8)).containsExactly(
          "{\"file\":\"" + file.toString().replace("\\", "\\\\") + "\",\"line\":2,\"error\":\""
              + WHY + "\",\"record\":\"" + BAD_LINE.replace("\"", "\\\"") + "\"}");
    }
  }
}
