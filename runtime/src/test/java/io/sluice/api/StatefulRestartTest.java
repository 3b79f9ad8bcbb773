package io.sluice.api;

import static io.sluice.api.ApiTestSupport.saleJson;
import static io.sluice.api.ApiTestSupport.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Sale;
import io.sluice.testkit.QueryTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aggregation with a checkpoint location keeps its state across restarts: it resumes from the
 * committed version, undoes a batch that never committed, and refuses a checkpoint whose state no
 * longer fits the query.
 */
class StatefulRestartTest {
  @TempDir
  Path input;
  @TempDir
  Path checkpoint;

  /** Called after a batch's rows reached the sink, before the batch commits. */
  private interface AfterSink {
    void accept(long batchId) throws Exception;
  }

  /** Each batch's rows as region to total, in the order the batches ran. */
  private final List<Map<String, Long>> batches = new java.util.ArrayList<>();

  /** Runs the query over what is there now, on a fresh engine, as a restarted process would. */
  private void runAvailable(OutputMode mode) throws InterruptedException {
    runAvailable(mode, id -> { });
  }

  /** As {@link #runAvailable(OutputMode)}, calling {@code afterSink} after each batch's sink. */
  private void runAvailable(OutputMode mode, AfterSink afterSink)
      throws InterruptedException {
    try (Sluice engine = Sluice.create()) {
      StreamingQuery q = engine.readStream().option("maxFilesPerTrigger", 1)
          .json(input.toString(), Sale.class)
          .groupBy("region")
          .agg(Functions.sum("amount").as("total"))
          .writeStream()
          .outputMode(mode)
          .foreachBatch((batch, id) -> {
            Map<String, Long> rows = new TreeMap<>();
            for (Row r : batch.collectAsList()) {
              rows.put((String) r.get("region"), (Long) r.get("total"));
            }
            batches.add(rows);
            afterSink.accept(id);
          })
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.availableNow())
          .start();
      q.awaitTermination();
    }
  }

  @Test
  void anUpdateModeAggregationCarriesItsTotalsAcrossARestart() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1), saleJson("south", 5));
    runAvailable(OutputMode.UPDATE);
    writeFile(input, "b.json", 2, saleJson("north", 2));
    runAvailable(OutputMode.UPDATE);
    assertThat(batches).containsExactly(Map.of("north", 1L, "south", 5L), Map.of("north", 3L));
  }

  @Test
  void aCompleteModeAggregationEmitsEveryGroupAfterARestart() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1), saleJson("south", 5));
    runAvailable(OutputMode.COMPLETE);
    writeFile(input, "b.json", 2, saleJson("north", 2));
    runAvailable(OutputMode.COMPLETE);
    assertThat(batches.get(batches.size() - 1)).isEqualTo(Map.of("north", 3L, "south", 5L));
  }

  @Test
  void aBatchThatNeverCommittedIsRerunOverThePreviousState() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    writeFile(input, "b.json", 2, saleJson("north", 2));
    runAvailable(OutputMode.UPDATE);
    // A crash after batch 1 changed the state and wrote the sink, before its commit.
    Files.delete(checkpoint.resolve("commits").resolve("1"));
    batches.clear();
    runAvailable(OutputMode.UPDATE);
    assertThat(batches).containsExactly(Map.of("north", 3L));
  }

  @Test
  void aRunKilledWhileUsingItsStateIsRecovered() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    writeFile(input, "b.json", 2, saleJson("north", 2));
    runAvailable(OutputMode.UPDATE);
    Files.delete(checkpoint.resolve("commits").resolve("1"));
    // What a process killed in the middle of a batch leaves behind.
    Files.createFile(checkpoint.resolve("state/0/aggregate/.in-use"));
    batches.clear();
    runAvailable(OutputMode.UPDATE);
    assertThat(batches).containsExactly(Map.of("north", 3L));
    assertThat(checkpoint.resolve("state/0/aggregate/.in-use")).doesNotExist();
  }

  @Test
  void theStateIsLoggedPerPartitionAndBatch() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1), saleJson("south", 2), saleJson("east", 3));
    runAvailable(OutputMode.UPDATE);
    long deltas;
    try (Stream<Path> files = Files.walk(checkpoint.resolve("state/0/aggregate"))) {
      deltas = files.filter(f -> f.toString().endsWith("1.delta")).count();
    }
    assertThat(deltas).isBetween(1L, 4L);
    assertThat(checkpoint.resolve("state/0/aggregate/0/live")).exists();
  }

  @Test
  void aDistinctCountKeepsItsSeenValuesAcrossARestart() throws Exception {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Sale> sales = engine.memoryStream(Sale.class);
      DataStreamWriter<Row> writer = sales.toDataset().groupBy("region")
          .agg(Functions.countDistinct("amount").as("amounts")).writeStream()
          .outputMode(OutputMode.UPDATE)
          .option("checkpointLocation", checkpoint.toString());
      sales.addData(new Sale("north", "p", 1, null, 1.0), new Sale("north", "p", 2, null, 1.0));
      try (QueryTester t = QueryTester.of(writer)) {
        assertThat(t.runBatch()).extracting(r -> r.get("amounts")).containsExactly(2L);
      }
      sales.addData(new Sale("north", "p", 2, null, 1.0), new Sale("north", "p", 3, null, 1.0));
      try (QueryTester t = QueryTester.of(writer)) {
        assertThat(t.runBatch()).extracting(r -> r.get("amounts")).containsExactly(3L);
      }
    }
  }

  @Test
  void aQueryWhoseStateNoLongerFitsIsRefusedNamingBothStates() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable(OutputMode.UPDATE);
    try (Sluice engine = Sluice.create()) {
      assertThatThrownBy(() -> engine.readStream().json(input.toString(), Sale.class)
          .groupBy("region").count().writeStream().outputMode(OutputMode.UPDATE)
          .foreachBatch((batch, id) -> { })
          .option("checkpointLocation", checkpoint.toString()).start())
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("belongs to a different query (its state is aggregate "
              + "key(STRING) value(sum BIGINT); this query's is aggregate key(STRING) "
              + "value(count BIGINT))");
    }
  }

  @Test
  void aStatelessQueryCannotTakeOverAnAggregationsCheckpoint() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable(OutputMode.UPDATE);
    try (Sluice engine = Sluice.create()) {
      assertThatThrownBy(() -> engine.readStream().json(input.toString(), Sale.class)
          .select("region").writeStream().foreachBatch((batch, id) -> { })
          .option("checkpointLocation", checkpoint.toString()).start())
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("this query's is stateless");
    }
  }

  @Test
  void aStateFolderThatCannotBeReadFailsTheStartNamingIt() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable(OutputMode.UPDATE);
    Path marker = checkpoint.resolve("state/0/aggregate/0/live");
    Files.writeString(marker, "not a checkpoint file");
    assertThatThrownBy(() -> runAvailable(OutputMode.UPDATE))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("checkpoint file " + marker + " is corrupt");
  }

  @Test
  void anIoErrorWhileSavingStateFailsTheQueryNamingTheFileAndARestartRecovers() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    String[] regions = {"north", "south", "east", "west", "up", "down", "in", "out"};
    String[] second = new String[regions.length];
    for (int i = 0; i < regions.length; i++) {
      second[i] = saleJson(regions[i], 10);
    }
    writeFile(input, "b.json", 2, second);
    Path state = checkpoint.resolve("state/0/aggregate");
    // After batch 0, partitions 1 to 3 can no longer be written (a folder replaced by a file, as
    // a read-only or full disk would refuse); partition 0 still applies its share of batch 1.
    assertThatThrownBy(() -> runAvailable(OutputMode.UPDATE, id -> {
      if (id == 0) {
        for (int p = 1; p < 4; p++) {
          Files.move(state.resolve("" + p), state.resolve(p + ".saved"));
          Files.writeString(state.resolve("" + p), "in the way");
        }
      }
    })).isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("[Sluice/Checkpoint] query 'query' failed in batch 1 at "
            + "aggregation state: cannot write state file " + state);
    for (int p = 1; p < 4; p++) {
      Files.delete(state.resolve("" + p));
      Files.move(state.resolve(p + ".saved"), state.resolve("" + p));
    }
    batches.clear();
    runAvailable(OutputMode.UPDATE);
    Map<String, Long> expected = new TreeMap<>();
    for (String region : regions) {
      expected.put(region, 10L);
    }
    expected.put("north", 11L);
    assertThat(batches).containsExactly(expected);
  }

  @Test
  void aStoppedQueryLeavesItsStateIdleAndReleasedForTheNextRun() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    try (Sluice engine = Sluice.create()) {
      StreamingQuery q = engine.readStream().json(input.toString(), Sale.class)
          .groupBy("region").agg(Functions.sum("amount").as("total")).writeStream()
          .outputMode(OutputMode.UPDATE).foreachBatch((batch, id) -> { })
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.processingTime(java.time.Duration.ofMillis(10)))
          .start();
      q.processAllAvailable();
      q.stop();
      assertThat(q.isActive()).isFalse();
      assertThat(q.exception()).isNull();
    }
    assertThat(checkpoint.resolve("state/0/aggregate/.in-use")).doesNotExist();
    // The next run can take the checkpoint (its lock was released) and goes on from the state.
    writeFile(input, "b.json", 2, saleJson("north", 2));
    runAvailable(OutputMode.UPDATE);
    assertThat(batches).containsExactly(Map.of("north", 3L));
  }
}
