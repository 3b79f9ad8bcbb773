package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.values;
import static io.sluice.api.ApiTestSupport.writeFile;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Click;
import io.sluice.fixtures.Event;
import io.sluice.fixtures.Reading;
import io.sluice.internal.connector.FileSink;
import io.sluice.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each source and sink through the public API, with real files and started queries. */
class SourcesAndSinksTest {
  private final ManualClock clock = new ManualClock(0);
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final Sluice engine = Sluice.builder().clock(clock)
      .console(new PrintStream(console, true, StandardCharsets.UTF_8)).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @TempDir Path dir;

  @AfterEach
  void close() {
    engine.close();
  }

  private static String click(String user, String page, long ts) {
    return "{\"user\":\"" + user + "\",\"page\":\"" + page + "\",\"ts\":" + ts + "}";
  }

  @Nested
  class JsonFileSource {
    @Test
    void picksUpFilesAddedWhileTheQueryRuns() {
      writeFile(dir, "1.json", 1, click("ann", "home", 1), click("bob", "cart", 2));
      StreamingQuery q = engine.readStream().json(dir.toString(), Click.class)
          .select("user", "ts").writeStream().format("memory").queryName("files").start();
      q.processAllAvailable();
      assertThat(values(engine.table("files"))).containsExactly(row("ann", 1L), row("bob", 2L));

      writeFile(dir, "2.json", 2, click("cy", "home", 3));
      q.processAllAvailable();

      assertThat(values(engine.table("files")))
          .containsExactly(row("ann", 1L), row("bob", 2L), row("cy", 3L));
      assertThat(q.recentProgress()).extracting(StreamingQueryProgress::numInputRows)
          .containsExactly(2L, 1L);
      assertThat(q.lastProgress().sources().get(0).description()).contains(dir.toString());
      q.stop();
    }

    @Test
    void readsEachFileOnceAndSkipsHiddenAndTemporaryFiles() throws IOException {
      writeFile(dir, "1.json", 1, click("ann", "home", 1));
      Files.writeString(dir.resolve(".hidden.json"), click("eve", "x", 9) + "\n");
      Files.writeString(dir.resolve("_meta.json"), click("eve", "x", 9) + "\n");
      Files.writeString(dir.resolve("half.json.tmp"), click("eve", "x", 9) + "\n");
      StreamingQuery q = engine.readStream().json(dir.toString(), Click.class).writeStream()
          .format("memory").queryName("once").start();

      q.processAllAvailable();
      q.processAllAvailable();

      assertThat(values(engine.table("once"))).containsExactly(row("ann", "home", 1L, null));
      q.stop();
    }

    @Test
    void largeFilesReadOnTheirOwnThreadGiveEveryRowAndNameABadLine() {
      // Files big enough to be read ahead of the query's thread: rows, counts and errors must be
      // what a direct read gives.
      String[] lines = new String[30_000];
      for (int i = 0; i < lines.length; i++) {
        lines[i] = click("user" + i, "page" + (i % 7), i);
      }
      writeFile(dir, "1.json", 1, lines);
      writeFile(dir, "2.json", 2, lines);
      StreamingQuery q = engine.readStream().json(dir.toString(), Click.class)
          .groupBy("page").count().writeStream().outputMode(OutputMode.COMPLETE)
          .format("memory").queryName("large").start();
      q.processAllAvailable();
      assertThat(values(engine.table("large"))).hasSize(7)
          .allSatisfy(r -> assertThat((Long) r.get(1)).isBetween(8_570L, 8_572L));
      assertThat(q.lastProgress().numInputRows()).isEqualTo(60_000);

      lines[25_000] = "{\"user\":\"bob\",\"page\":\"cart\",\"ts\":\"two\"}";
      Path bad = writeFile(dir, "3.json", 3, lines);
      assertThatThrownBy(q::processAllAvailable).isInstanceOf(SluiceException.class)
          .hasMessageContaining("malformed record in " + bad + " line 25001");
      q.stop();
    }

    @Test
    void theDropPolicyCountsBadRecordsInTheSourceMetrics() {
      writeFile(dir, "1.json", 1, click("ann", "home", 1), "not json",
          "{\"user\":\"bob\",\"page\":\"cart\",\"ts\":\"two\"}", click("cy", "help", 3));
      StreamingQuery q = engine.readStream().option("badRecords", "drop")
          .json(dir.toString(), Click.class).writeStream().format("memory").queryName("dropped")
          .start();
      q.processAllAvailable();

      assertThat(values(engine.table("dropped"))).extracting(r -> r.get(0))
          .containsExactly("ann", "cy");
      assertThat(q.lastProgress().sources().get(0).metrics())
          .containsEntry("numMalformedRows", "2");
      assertThat(q.lastProgress().numInputRows()).isEqualTo(2);

      writeFile(dir, "2.json", 2, click("dan", "home", 4));
      q.processAllAvailable();
      assertThat(q.lastProgress().sources().get(0).metrics())
          .as("counted per batch").containsEntry("numMalformedRows", "0");
      assertThat(q.exception()).isNull();
      q.stop();
    }
  }

  @Nested
  class CsvFileSource {
    @Test
    void readsColumnsByTheNamesInTheHeader() {
      writeFile(dir, "a.csv", 1, "value,sensor,ts", "20.5,s1,100", "21.0,s2,200");
      writeFile(dir, "b.csv", 2, "sensor,ts,value", "s1,300,22.5");
      StreamingQuery q = engine.readStream().option("header", true)
          .csv(dir.toString(), Reading.class).writeStream().format("memory").queryName("csv")
          .start();

      q.processAllAvailable();

      assertThat(multiset(engine.table("csv"))).isEqualTo(multiset(List.of(
          row("s1", 100L, 20.5), row("s2", 200L, 21.0), row("s1", 300L, 22.5))));
      q.stop();
    }

    @Test
    void withoutAHeaderReadsColumnsByPosition() {
      writeFile(dir, "a.csv", 1, "s1;100;1.5");
      List<Reading> readings = engine.read().option("sep", ";")
          .csv(dir.toString(), Reading.class).collectAsList();

      assertThat(readings).containsExactly(new Reading("s1", 100, 1.5));
    }
  }

  @Nested
  class RateSource {
    @Test
    void generatesRowsPerSecondOfTheEngineClock() {
      StreamingQuery q = engine.readStream().format("rate").option("rowsPerSecond", 5).load()
          .writeStream().format("memory").queryName("rate").start();
      // The source starts counting at its first look, which this makes happen at time 0.
      q.processAllAvailable();
      assertThat(q.recentProgress()).as("nothing is due in the first second").isEmpty();

      clock.advance(Duration.ofSeconds(2));
      q.processAllAvailable();

      List<Row> rows = engine.table("rate");
      assertThat(rows).extracting(r -> r.get("value"))
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(rows).extracting(r -> r.get("timestamp"))
          .containsExactly(0L, 200L, 400L, 600L, 800L, 1000L, 1200L, 1400L, 1600L, 1800L);
      assertThat(engine.table("rate").get(0).schema().names()).containsExactly("timestamp", "value");

      clock.advance(Duration.ofMillis(999));
      q.processAllAvailable();
      assertThat(engine.table("rate")).as("the third second is not over").hasSize(10);
      clock.advance(Duration.ofMillis(1));
      q.processAllAvailable();
      assertThat(engine.table("rate")).hasSize(15);
      q.stop();
    }
  }

  @Nested
  class ConsoleSink {
    @Test
    void printsEachBatchAsATableUnderItsBatchNumber() {
      StreamingQuery q = clicks.toDataset().select("page", "ts").writeStream().format("console")
          .start();
      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "checkout", 20));
      q.processAllAvailable();
      clicks.addData(Click.of("cy", "help", 3));
      q.processAllAvailable();
      q.stop();

      assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("""
          -------------------------------------------
          Batch: 0
          -------------------------------------------
          +--------+---+
          |    page| ts|
          +--------+---+
          |    home|  1|
          |checkout| 20|
          +--------+---+

          -------------------------------------------
          Batch: 1
          -------------------------------------------
          +----+---+
          |page| ts|
          +----+---+
          |help|  3|
          +----+---+

          """);
    }
  }

  @Nested
  class MemorySink {
    private StreamingQuery start(Dataset<?> query, OutputMode mode, String name) {
      return query.writeStream().outputMode(mode).format("memory").queryName(name).start();
    }

    private void twoBatches(StreamingQuery q) {
      clicks.addData(Click.of("a", "home", 1), Click.of("b", "cart", 2));
      q.processAllAvailable();
      clicks.addData(Click.of("c", "home", 3));
      q.processAllAvailable();
      q.stop();
    }

    @Test
    void appendModeAccumulatesEveryRowWritten() {
      StreamingQuery q = start(clicks.toDataset().select("user"), OutputMode.APPEND, "appended");
      twoBatches(q);

      assertThat(values(engine.table("appended"))).containsExactly(row("a"), row("b"), row("c"));
    }

    @Test
    void updateModeAccumulatesTheChangedGroupsOfEachBatch() {
      Dataset<Row> counts = clicks.toDataset().groupBy("page").agg(count("*").as("n"));
      twoBatches(start(counts, OutputMode.UPDATE, "updated"));

      assertThat(multiset(engine.table("updated"))).isEqualTo(multiset(List.of(
          row("home", 1L), row("cart", 1L), row("home", 2L))));
    }

    @Test
    void completeModeReplacesTheTableWithEachBatch() {
      Dataset<Row> counts = clicks.toDataset().groupBy("page").agg(count("*").as("n"));
      twoBatches(start(counts, OutputMode.COMPLETE, "completed"));

      assertThat(multiset(engine.table("completed"))).isEqualTo(multiset(List.of(
          row("home", 2L), row("cart", 1L))));
    }

    @Test
    void anUnknownTableNameListsTheTables() {
      start(clicks.toDataset(), OutputMode.APPEND, "known").stop();

      assertThatThrownBy(() -> engine.table("unknown"))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("no memory table 'unknown'; tables: known");
    }
  }

  @Nested
  class JsonFileSink {
    @TempDir Path out;
    @TempDir Path checkpoint;

    @Test
    void writesPartFilesThatItsSinkLogCommitsAndAnotherQueryCanRead() throws IOException {
      StreamingQuery writer = clicks.toDataset().filter("page != 'admin'").writeStream()
          .format("json").option("checkpointLocation", checkpoint.toString())
          .queryName("writer").start(out.toString());
      clicks.addData(Click.of("ann", "home", 1), Click.of("root", "admin", 2));
      writer.processAllAvailable();
      clicks.addData(new Click("bob", "cart", 3, 40));
      writer.processAllAvailable();
      writer.stop();

      List<Path> committed = FileSink.committedFiles(out);
      assertThat(committed).hasSize(2).allSatisfy(p -> assertThat(p).exists());
      assertThat(committed.get(0).getFileName().toString()).startsWith("part-00000-");
      assertThat(committed.get(1).getFileName().toString()).startsWith("part-00001-");
      assertThat(Files.readAllLines(committed.get(1))).hasSize(1);

      StreamingQuery reader = engine.readStream().json(out.toString(), Click.class).writeStream()
          .format("memory").queryName("reader").start();
      reader.processAllAvailable();
      reader.stop();
      assertThat(values(engine.table("reader"))).containsExactly(row("ann", "home", 1L, null),
          row("bob", "cart", 3L, 40));
    }

    @Test
    void everyColumnTypeSurvivesAWriteAndAReadBack() {
      MemoryStream<Event> events = engine.memoryStream(Event.class);
      List<Event> written = List.of(
          new Event("plain", Instant.ofEpochMilli(1_700_000_000_123L), 1, Long.MAX_VALUE, 0.1,
              true, null),
          new Event("quote \" backslash \\ newline \n tab \t \u00e9 \u2603", Instant.EPOCH,
              Integer.MIN_VALUE, Long.MIN_VALUE, -0.0, false, 7),
          new Event("", Instant.ofEpochMilli(-1), 0, 0, Double.NaN, false, -1),
          new Event("inf", Instant.parse("2030-12-31T23:59:59.999Z"), 3, 3,
              Double.NEGATIVE_INFINITY, true, 0));
      StreamingQuery q = events.toDataset().writeStream().format("json")
          .option("checkpointLocation", checkpoint.toString()).start(out.toString());
      events.addData(written);
      q.processAllAvailable();
      q.stop();

      List<Event> read = engine.read().json(out.toString(), Event.class).collectAsList();

      assertThat(read).containsExactlyElementsOf(written);
    }

    @Test
    void readersIgnorePartFilesTheLogDoesNotList() throws IOException {
      StreamingQuery writer = clicks.toDataset().writeStream().format("json")
          .option("checkpointLocation", checkpoint.toString()).start(out.toString());
      clicks.addData(Click.of("ann", "home", 1));
      writer.processAllAvailable();
      writer.stop();
      // A part file from an attempt that crashed before its log entry.
      Files.writeString(out.resolve("part-00001-orphan.json"), click("eve", "x", 9) + "\n");

      List<Click> read = engine.read().json(out.toString(), Click.class).collectAsList();

      assertThat(read).containsExactly(Click.of("ann", "home", 1));
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .contains("_sluice_sink_log", "part-00001-orphan.json");
      }
    }
  }

  @Nested
  class ForeachBatchSink {
    @Test
    void receivesEachBatchAsABoundedDatasetWithItsBatchId() {
      List<Long> ids = new ArrayList<>();
      List<List<Click>> batches = new ArrayList<>();
      List<Long> homeCounts = new ArrayList<>();
      StreamingQuery q = clicks.toDataset().writeStream().foreachBatch((batch, id) -> {
        assertThat(batch.isStreaming()).isFalse();
        ids.add(id);
        batches.add(batch.collectAsList());
        homeCounts.add(batch.filter("page = 'home'").count());
      }).start();

      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
      q.processAllAvailable();
      clicks.addData(Click.of("cy", "home", 3));
      q.processAllAvailable();
      q.stop();

      assertThat(q.exception()).isNull();
      assertThat(ids).containsExactly(0L, 1L);
      assertThat(batches).containsExactly(
          List.of(Click.of("ann", "home", 1), Click.of("bob", "cart", 2)),
          List.of(Click.of("cy", "home", 3)));
      assertThat(homeCounts).containsExactly(1L, 1L);
    }

    @Test
    void receivesTheUpdatedGroupsOfAnAggregation() {
      Map<Long, List<List<Object>>> seen = new TreeMap<>();
      Dataset<Row> totals = clicks.toDataset().groupBy("page").agg(sum("ts").as("total"));
      StreamingQuery q = totals.writeStream().outputMode(OutputMode.UPDATE)
          .foreachBatch((batch, id) -> seen.put(id, new ArrayList<>(values(batch.collectAsList()))))
          .start();

      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
      q.processAllAvailable();
      clicks.addData(Click.of("cy", "home", 3));
      q.processAllAvailable();
      q.stop();

      assertThat(seen).containsOnlyKeys(0L, 1L);
      assertThat(multiset(seen.get(0L))).isEqualTo(multiset(List.of(row("home", 1L),
          row("cart", 2L))));
      assertThat(seen.get(1L)).containsExactly(row("home", 4L));
    }
  }
}
