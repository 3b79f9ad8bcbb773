package io.sluice.api;

import static io.sluice.api.ApiTestSupport.saleJson;
import static io.sluice.api.ApiTestSupport.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Sale;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.connector.FileSink;
import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query with a checkpoint location resumes where it stopped: after a clean stop, and after a
 * crash between logging a batch and committing it, without losing or repeating output.
 */
class CheckpointRestartTest {
  @TempDir
  Path input;
  @TempDir
  Path output;
  @TempDir
  Path checkpoint;

  /** Runs the query over what is there now, on a fresh engine, as a restarted process would. */
  private UUID runAvailable() throws InterruptedException {
    return runAvailable(Sluice.builder());
  }

  private UUID runAvailable(Sluice.Builder settings) throws InterruptedException {
    try (Sluice engine = settings.build()) {
      StreamingQuery q = engine.readStream().option("maxFilesPerTrigger", 1)
          .json(input.toString(), Sale.class)
          .filter("amount > 0")
          .select("region", "amount")
          .writeStream()
          .format("json")
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.availableNow())
          .start(output.toString());
      q.awaitTermination();
      return q.id();
    }
  }

  private List<String> committedRows() throws IOException {
    List<String> rows = new ArrayList<>();
    for (Path file : FileSink.committedFiles(output)) {
      rows.addAll(Files.readAllLines(file));
    }
    return rows;
  }

  @Test
  void aRestartReadsOnlyTheFilesItHasNotProcessedAndKeepsTheQueryId() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1), saleJson("south", -1));
    writeFile(input, "b.json", 2, saleJson("east", 2));
    UUID first = runAvailable();
    writeFile(input, "c.json", 3, saleJson("west", 3));
    UUID second = runAvailable();
    assertThat(second).isEqualTo(first);
    assertThat(committedRows()).containsExactlyInAnyOrder("{\"region\":\"north\",\"amount\":1}",
        "{\"region\":\"east\",\"amount\":2}", "{\"region\":\"west\",\"amount\":3}");
    assertThat(Files.list(checkpoint.resolve("commits")).count()).isEqualTo(3);
  }

  @Test
  void aCheckpointSyncedToDiskAtEveryBatchResumesTheSameWay() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    writeFile(input, "b.json", 2, saleJson("east", 2));
    UUID first = runAvailable(Sluice.builder().syncCheckpoint(true));
    writeFile(input, "c.json", 3, saleJson("west", 3));
    UUID second = runAvailable(Sluice.builder().syncCheckpoint(false));

    assertThat(second).isEqualTo(first);
    assertThat(committedRows()).containsExactlyInAnyOrder("{\"region\":\"north\",\"amount\":1}",
        "{\"region\":\"east\",\"amount\":2}", "{\"region\":\"west\",\"amount\":3}");
  }

  @Test
  void aBatchLoggedButNotCommittedIsRerunWithTheSameFilesAndWrittenOnce() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    writeFile(input, "b.json", 2, saleJson("east", 2));
    runAvailable();
    // A crash after the sink wrote batch 1 but before the commit was recorded.
    Files.delete(checkpoint.resolve("commits").resolve("1"));
    // A file that arrives meanwhile must not slip into the re-run batch.
    writeFile(input, "c.json", 3, saleJson("west", 3));
    runAvailable();
    assertThat(committedRows()).containsExactlyInAnyOrder("{\"region\":\"north\",\"amount\":1}",
        "{\"region\":\"east\",\"amount\":2}", "{\"region\":\"west\",\"amount\":3}");
    assertThat(CheckpointFile.read(checkpoint.resolve("offsets").resolve("1")))
        .matches("\\{\"batchWatermarkMs\":0,\"batchTimestampMs\":\\d+}\n2");
  }

  @Test
  void aBatchLoggedBeforeTheSinkWroteIsWrittenOnRestart() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    writeFile(input, "b.json", 2, saleJson("east", 2));
    runAvailable();
    // A crash after batch 1 was logged, before its sink write and commit.
    Files.delete(checkpoint.resolve("commits").resolve("1"));
    Files.delete(output.resolve("_sluice_sink_log").resolve("1"));
    writeFile(input, "c.json", 3, saleJson("west", 3));
    runAvailable();
    assertThat(committedRows()).containsExactlyInAnyOrder("{\"region\":\"north\",\"amount\":1}",
        "{\"region\":\"east\",\"amount\":2}", "{\"region\":\"west\",\"amount\":3}");
    assertThat(CheckpointFile.read(checkpoint.resolve("offsets").resolve("1")))
        .matches("\\{\"batchWatermarkMs\":0,\"batchTimestampMs\":\\d+}\n2");
  }

  @Test
  void aTestDriverResumesFromTheCheckpointToo() throws Exception {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Sale> sales = engine.memoryStream(Sale.class);
      sales.addData(new Sale("north", "p", 1, null, 1.0), new Sale("east", "p", 2, null, 1.0));
      DataStreamWriter<Row> writer = sales.toDataset().select("region").writeStream()
          .option("checkpointLocation", checkpoint.toString());
      try (QueryTester t = QueryTester.of(writer)) {
        assertThat(t.runBatch()).hasSize(2);
      }
      sales.addData(new Sale("west", "p", 3, null, 1.0));
      try (QueryTester t = QueryTester.of(writer)) {
        assertThat(t.nextBatchId()).isEqualTo(1);
        assertThat(t.runBatch()).extracting(r -> r.get("region")).containsExactly("west");
      }
    }
  }

  @Test
  void aFileSinkWithoutACheckpointIsRefused() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Sale> sales = engine.memoryStream(Sale.class);
      assertThatThrownBy(() -> sales.toDataset().writeStream().format("json")
          .start(output.toString()))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("the json file sink needs option 'checkpointLocation'");
    }
  }

  @Test
  void aCheckpointWithAnotherNumberOfStatePartitionsIsRefused() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable();
    try (Sluice engine = Sluice.builder().statePartitions(8).build()) {
      assertThatThrownBy(() -> engine.readStream().json(input.toString(), Sale.class)
          .writeStream().format("json").option("checkpointLocation", checkpoint.toString())
          .start(output.toString()))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("was written with 4 state partitions; this query asks for 8");
    }
  }

  @Test
  void aCheckpointOfAQueryOverAnotherFolderIsRefused(@TempDir Path otherInput)
      throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable();
    try (Sluice engine = Sluice.create()) {
      assertThatThrownBy(() -> engine.readStream().json(otherInput.toString(), Sale.class)
          .filter("amount > 0").select("region", "amount").writeStream().format("json")
          .option("checkpointLocation", checkpoint.toString()).start(output.toString()))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("belongs to a query reading FileSource[" + input
              + "]; this query reads FileSource[" + otherInput + "]");
    }
  }

  @Test
  void aCorruptOffsetsFileIsReportedByName() throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable();
    Path offsets = checkpoint.resolve("offsets").resolve("0");
    byte[] bytes = Files.readAllBytes(offsets);
    bytes[bytes.length - 1] ^= 1;
    Files.write(offsets, bytes);
    assertThatThrownBy(this::runAvailable)
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("checkpoint file " + offsets + " is corrupt");
  }

  @Test
  void aCheckpointFolderThatCannotBeWrittenFailsTheQueryClearlyAndStaysRecoverable()
      throws Exception {
    writeFile(input, "a.json", 1, saleJson("north", 1));
    runAvailable();
    // The commits log cannot be written: its folder is replaced by a file (as a full or
    // read-only disk would refuse the write).
    Path commits = checkpoint.resolve("commits");
    Path saved = Files.move(commits, checkpoint.resolve("commits.saved"));
    Files.writeString(commits, "in the way");
    writeFile(input, "b.json", 2, saleJson("east", 2));
    assertThatThrownBy(this::runAvailable)
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("[Sluice/Checkpoint]")
        .hasMessageContaining(commits.toString());
    Files.delete(commits);
    Files.move(saved, commits);
    runAvailable();
    assertThat(committedRows()).containsExactlyInAnyOrder("{\"region\":\"north\",\"amount\":1}",
        "{\"region\":\"east\",\"amount\":2}");
  }

  @Test
  void twoRunningQueriesCannotShareACheckpoint() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Sale> sales = engine.memoryStream(Sale.class);
      DataStreamWriter<Row> writer = sales.toDataset().select("region").writeStream()
          .option("checkpointLocation", checkpoint.toString());
      try (QueryTester first = QueryTester.of(writer)) {
        assertThatThrownBy(() -> QueryTester.of(writer))
            .isInstanceOf(SluiceException.class)
            .hasMessage("[Sluice/Checkpoint] checkpoint " + checkpoint + " is in use by another "
                + "running query; stop it first, or give this query its own checkpoint location");
      }
      try (QueryTester again = QueryTester.of(writer)) {
        assertThat(again.nextBatchId()).isZero();
      }
    }
  }
}
