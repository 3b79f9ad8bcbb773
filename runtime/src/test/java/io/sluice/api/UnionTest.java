package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.writeFile;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Reading;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.QueryTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A union of streams: every input's rows, and with several watermarked inputs one watermark for
 * the query, chosen by Spark's policy (the slowest input by default, an input that has seen no
 * rows counting as 0). Expected rows are worked out by hand.
 */
class UnionTest {
  private Sluice engine = Sluice.builder().statePartitions(2).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static TimeWindow w(long startSeconds, long endSeconds) {
    return new TimeWindow(ms(startSeconds), ms(endSeconds));
  }

  private static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  @Test
  void readsEveryInputAndReportsEachSource() {
    MemoryStream<Tick> a = engine.memoryStream(Tick.class);
    MemoryStream<Tick> b = engine.memoryStream(Tick.class);
    Dataset<Row> both = a.toDataset().filter("value > 0").union(b.toDataset());
    try (QueryTester t = QueryTester.of(both.writeStream().outputMode(OutputMode.APPEND))) {
      a.addData(at("a", 1), new Tick("skipped", Tick.T0, 0));
      b.addData(at("b", 2));
      batch(t, row("a", ms(1), 1L), row("b", ms(2), 1L));
      assertThat(t.lastProgress().sources()).hasSize(2);
      assertThat(t.lastProgress().sources().get(0).numInputRows()).isEqualTo(2);
      assertThat(t.lastProgress().sources().get(1).numInputRows()).isEqualTo(1);
      assertThat(t.lastProgress().numInputRows()).isEqualTo(3);
      b.addData(at("b", 3));
      batch(t, row("b", ms(3), 1L));
      t.expectNoBatch();
    }
  }

  @Test
  void columnsMatchByPositionAndNumbersWiden() {
    MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);
    MemoryStream<Reading> readings = engine.memoryStream(Reading.class);
    Dataset<Row> both = ticks.toDataset().select("key", "value")
        .union(readings.toDataset().select("sensor", "value"));
    assertThat(both.schema().names()).containsExactly("key", "value");
    assertThat(both.schema().field(1).type()).isEqualTo(DataType.DOUBLE);
    try (QueryTester t = QueryTester.of(both.writeStream().outputMode(OutputMode.APPEND))) {
      ticks.addData(at("a", 1));
      readings.addData(new Reading("s", 5, 2.5));
      batch(t, row("a", 1.0), row("s", 2.5));
    }
  }

  @Nested
  class SeveralWatermarks {
    private final MemoryStream<Tick> fast = engine.memoryStream(Tick.class);
    private final MemoryStream<Tick> slow = engine.memoryStream(Tick.class);

    private QueryTester windowCounts() {
      Dataset<Row> counts = fast.toDataset().withWatermark("time", "5 seconds")
          .union(slow.toDataset().withWatermark("time", "5 seconds"))
          .groupBy(window(col("time"), "10 seconds")).agg(count("*").as("n"));
      return QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND));
    }

    @Test
    void theSlowestInputHoldsTheWatermarkBack() {
      try (QueryTester t = windowCounts()) {
        // fast proposes 15 s; slow has seen nothing and counts as 0: the watermark stays 0.
        fast.addData(at("a", 20));
        batch(t);
        t.expectNoBatch();
        // slow proposes 7 s: min(15, 7).
        slow.addData(at("b", 12));
        batch(t);
        assertThat(t.lastProgress().eventTime()).containsEntry("watermark",
            "1970-01-01T00:00:00.000Z");
        batch(t); // no data: watermark 7 s closes nothing
        assertThat(t.lastProgress().eventTime()).containsEntry("watermark",
            "2024-01-01T00:00:07.000Z");
        // fast runs ahead to 35 s, slow reaches 21 s: min is 21 s and [10, 20) closes.
        fast.addData(at("a", 40));
        slow.addData(at("b", 26));
        batch(t);
        batch(t, row(w(10, 20), 1L));
        // A slow row for [20, 30) is not late: the watermark is the slow input's.
        slow.addData(at("b", 22));
        batch(t);
        assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
            .isZero();
      }
    }

    @Test
    void withTheMaxPolicyTheFastestInputMakesSlowRowsLate() {
      engine.close();
      engine = Sluice.builder().statePartitions(2)
          .multipleWatermarkPolicy(WatermarkPolicy.MAX).build();
      MemoryStream<Tick> fastest = engine.memoryStream(Tick.class);
      MemoryStream<Tick> slowest = engine.memoryStream(Tick.class);
      Dataset<Row> counts = fastest.toDataset().withWatermark("time", "5 seconds")
          .union(slowest.toDataset().withWatermark("time", "5 seconds"))
          .groupBy(window(col("time"), "10 seconds")).agg(count("*").as("n"));
      try (QueryTester t = QueryTester.of(counts.writeStream().outputMode(OutputMode.APPEND))) {
        fastest.addData(at("a", 40));
        batch(t); // watermark after: 35 s
        batch(t); // no data
        slowest.addData(at("b", 12));
        batch(t);
        assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
            .isEqualTo(1);
      }
    }
  }

  @Test
  void aStreamAndABoundedDatasetDoNotUnion() {
    MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);
    Dataset<Tick> bounded = engine.read().json("/nonexistent-for-schema", Tick.class);
    assertThatThrownBy(() -> ticks.toDataset().union(bounded))
        .hasMessageContaining("a union of a stream and a bounded dataset is not supported");
  }

  @Test
  void inputsMustHaveTheSameNumberOfColumns() {
    MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);
    assertThatThrownBy(() -> ticks.toDataset().union(ticks.toDataset().select("key")))
        .hasMessageContaining("union needs inputs with the same number of columns, but the"
            + " first has 3 (key, time, value) and the second 1 (key)");
  }

  @Nested
  class FromACheckpoint {
    @TempDir
    Path left;
    @TempDir
    Path right;
    @TempDir
    Path checkpoint;

    private List<List<Object>> runAvailable() throws InterruptedException {
      List<List<Object>> rows = new ArrayList<>();
      try (Sluice fresh = Sluice.create()) {
        Dataset<Row> both = fresh.readStream().option("maxFilesPerTrigger", 1)
            .json(left.toString(), Reading.class)
            .union(fresh.readStream().option("maxFilesPerTrigger", 1)
                .json(right.toString(), Reading.class));
        StreamingQuery q = both.writeStream()
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.availableNow())
            .foreachBatch((batch, id) -> {
              for (Row r : batch.collectAsList()) {
                rows.add(List.of(id, r.get("sensor")));
              }
            })
            .start();
        q.awaitTermination();
      }
      return rows;
    }

    @Test
    void aRestartResumesEachInputWhereItStopped() throws Exception {
      writeFile(left, "1.json", 1, "{\"sensor\":\"l1\",\"ts\":1,\"value\":1.0}");
      writeFile(right, "1.json", 1, "{\"sensor\":\"r1\",\"ts\":1,\"value\":1.0}");
      writeFile(right, "2.json", 2, "{\"sensor\":\"r2\",\"ts\":2,\"value\":1.0}");
      assertThat(runAvailable()).containsExactly(List.of(0L, "l1"), List.of(0L, "r1"),
          List.of(1L, "r2"));
      writeFile(left, "2.json", 3, "{\"sensor\":\"l2\",\"ts\":3,\"value\":1.0}");
      assertThat(runAvailable()).containsExactly(List.of(2L, "l2"));
      assertThat(Files.exists(checkpoint.resolve("sources").resolve("1"))).isTrue();
    }
  }
}
