package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink log folds its entries into a compact file every {@code compactInterval} batches, as
 * Spark's file sink log does, and readers and restarted sinks read it as they read the entries.
 */
class FileSinkLogCompactionTest {
  private static final Schema SCHEMA = Schema.of(Field.required("id", DataType.LONG));

  @TempDir Path out;

  private FileSink sink(String... options) {
    return new FileSink(out, options(options));
  }

  private static List<ColumnBatch> ids(long... ids) {
    ColumnBatch chunk = new ColumnBatch(SCHEMA, 16);
    for (long id : ids) {
      chunk.appendRow(id);
    }
    return List.of(chunk);
  }

  private static void write(FileSink sink, long fromBatch, long toBatch) {
    for (long b = fromBatch; b <= toBatch; b++) {
      sink.addBatch(b, SCHEMA, ids(b), OutputMode.APPEND);
    }
  }

  private List<String> logNames() throws IOException {
    try (Stream<Path> files = Files.list(out.resolve(SinkLog.DIRECTORY))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList();
    }
  }

  /** The ids in the committed files, in commit order. */
  private List<Long> committedIds() {
    List<Long> ids = new ArrayList<>();
    for (Path file : FileSink.committedFiles(out)) {
      for (String line : lines(file)) {
        ids.add(Long.parseLong(line.replaceAll("\\D", "")));
      }
    }
    return ids;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  @Test
  void everyCompactIntervalBatchesTheBatchsEntryFoldsTheLogAndTheOlderEntriesGo()
      throws IOException {
    FileSink sink = sink("compactInterval", "3");
    write(sink, 0, 1);
    assertThat(logNames()).containsExactly("0", "1");

    write(sink, 2, 2);
    assertThat(logNames()).containsExactly("2.compact");

    write(sink, 3, 7);
    assertThat(logNames()).containsExactly("5.compact", "6", "7");
    assertThat(committedIds()).isEqualTo(range(0, 7));
  }

  @Test
  void theDefaultIntervalIsSparksTen() throws IOException {
    write(sink(), 0, 10);

    assertThat(logNames()).containsExactly("10", "9.compact");
    assertThat(committedIds()).isEqualTo(range(0, 10));
  }

  @Test
  void aCompactFileNamesEachLiveFileWithTheBatchesItHolds() throws IOException {
    write(sink("compactInterval", "2"), 0, 1);

    List<Path> files = FileSink.committedFiles(out);
    assertThat(CheckpointFile.read(out.resolve(SinkLog.DIRECTORY).resolve("1.compact")))
        .isEqualTo("file 0 0 " + files.get(0).getFileName() + "\n"
            + "file 1 1 " + files.get(1).getFileName() + "\n");
  }

  @Test
  void aRestartedSinkSkipsBatchesFoldedIntoACompactFileAndFoldsOnFromThere() throws IOException {
    write(sink("compactInterval", "3"), 0, 3);

    FileSink restarted = sink("compactInterval", "3");
    restarted.addBatch(1, SCHEMA, ids(100), OutputMode.APPEND);
    restarted.addBatch(3, SCHEMA, ids(300), OutputMode.APPEND);
    write(restarted, 4, 6);

    assertThat(logNames()).containsExactly("5.compact", "6");
    assertThat(committedIds()).isEqualTo(range(0, 6));
    assertThat(FileSink.latestCommittedBatch(out)).isEqualTo(6);
  }

  @Test
  void theIntervalMayChangeBetweenRuns() throws IOException {
    write(sink("compactInterval", "3"), 0, 3);
    write(sink("compactInterval", "5"), 4, 9);

    assertThat(logNames()).containsExactly("9.compact");
    assertThat(committedIds()).isEqualTo(range(0, 9));
  }

  @Test
  void anOutputWithPlainEntriesOnlyStillReadsAndIsFoldedOnceTheSinkContinuesIt()
      throws IOException {
    // What earlier versions of the sink left: one entry per batch, never folded.
    Path log = Files.createDirectories(out.resolve(SinkLog.DIRECTORY));
    for (int b = 0; b < 2; b++) {
      String name = "part-0000" + b + "-old.json";
      Files.writeString(out.resolve(name), "{\"id\":" + b + "}\n");
      CheckpointFile.write(log.resolve(Integer.toString(b)), name + "\n");
    }
    assertThat(committedIds()).isEqualTo(range(0, 1));
    FileSource reader = new FileSource(out, "json", SCHEMA, options());
    assertThat(read(reader, null, reader.latestOffset(null))).hasSize(2);

    write(sink("compactInterval", "3"), 2, 3);

    assertThat(logNames()).containsExactly("2.compact", "3");
    assertThat(committedIds()).isEqualTo(range(0, 3));
  }

  @Test
  void aCompactFileWithALineOfAnUnknownKindIsAnErrorNamingIt() {
    write(sink(), 0, 0);
    Path entry = out.resolve(SinkLog.DIRECTORY).resolve("3.compact");
    CheckpointFile.write(entry, "file 0 0 part-00000-x.json\nshard 0 0 part-00000-x.json\n");

    assertThatThrownBy(() -> FileSink.committedFiles(out))
        .hasMessage("[Sluice/Connector] sink log entry " + entry + " has a line it cannot read,"
            + " 'shard 0 0 part-00000-x.json': an unknown kind of line");
  }

  @Test
  void aStreamingReaderThatFallsBehindTheFoldingReadsTheCompactFileAndSkipsWhatItRead() {
    FileSink sink = sink("compactInterval", "3");
    write(sink, 0, 0);
    FileSource reader = new FileSource(out, "json", SCHEMA, options());
    Offset first = reader.latestOffset(null);

    write(sink, 1, 7);
    Offset second = reader.latestOffset(first);

    assertThat(read(reader, null, first)).containsExactly(List.of(0L));
    assertThat(read(reader, first, second).stream().map(r -> r.get(0)).toList())
        .isEqualTo(range(1, 7));
  }

  @Test
  void readersRacingTheFoldingSeeEveryCommittedBatchOnceInEverySnapshot() throws Exception {
    int batches = 300;
    FileSink sink = sink("compactInterval", "2");
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(sink, 0, batches - 1));
    FileSource streaming = new FileSource(out, "json", SCHEMA, options());
    List<Long> streamed = new ArrayList<>();
    @Nullable Offset position = null;
    int snapshots = 0;
    boolean last = false;
    while (!last) {
      last = writer.isDone();
      long latest = new SinkLog(out).state().latestBatch();
      List<Long> ids = committedIdsAsOfOneMoment();
      assertThat(ids).as("ids of a snapshot").isEqualTo(range(0, ids.size() - 1));
      assertThat((long) ids.size()).isGreaterThanOrEqualTo(latest + 1);
      Offset end = streaming.latestOffset(position);
      if (end != null) {
        read(streaming, position, end).forEach(r -> streamed.add((Long) r.get(0)));
        position = end;
      }
      snapshots++;
    }
    writer.join();
    assertThat(snapshots).isPositive();
    assertThat(committedIds()).isEqualTo(range(0, batches - 1));
    assertThat(streamed).isEqualTo(range(0, batches - 1));
  }

  /** The ids of one state of the log: the batches it committed, each batch's id once. */
  private List<Long> committedIdsAsOfOneMoment() {
    SinkState state = new SinkLog(out).state();
    List<Long> ids = new ArrayList<>();
    for (SinkFile file : state.live()) {
      assertThat(file.firstBatch()).isEqualTo(file.lastBatch());
      ids.add(file.firstBatch());
    }
    assertThat(ids).hasSize((int) state.latestBatch() + 1);
    return ids;
  }
}
