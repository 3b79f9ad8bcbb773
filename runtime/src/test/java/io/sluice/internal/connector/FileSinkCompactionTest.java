package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.FileSinkCompaction;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction action merges small committed files into larger ones in one log commit, leaves
 * the small ones for vacuum, and readers, streaming ones too, see each row once throughout.
 */
class FileSinkCompactionTest {
  private static final Schema SCHEMA = Schema.of(Field.required("id", DataType.LONG));
  /** Each batch below writes one row, {@code {"id":n}} and a line break: 9 bytes. */
  private static final long THREE_ROWS = 30;

  @TempDir Path out;
  @TempDir Path checkpoint;

  private final AtomicLong now = new AtomicLong(1_000);

  private SinkCompaction compaction() {
    return new SinkCompaction(out, now::get);
  }

  private FileSink sink(int compactInterval) {
    return new FileSink(out, options("compactInterval", Integer.toString(compactInterval)));
  }

  private static void write(FileSink sink, long fromBatch, long toBatch) {
    for (long b = fromBatch; b <= toBatch; b++) {
      ColumnBatch chunk = new ColumnBatch(SCHEMA, 1);
      chunk.appendRow(b);
      sink.addBatch(b, SCHEMA, List.of(chunk), OutputMode.APPEND);
    }
  }

  private List<Long> idsIn(List<Path> files) {
    List<Long> ids = new ArrayList<>();
    for (Path file : files) {
      try {
        Files.readAllLines(file).forEach(l -> ids.add(Long.parseLong(l.replaceAll("\\D", ""))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ids;
  }

  private List<Long> committedIds() {
    return idsIn(FileSink.committedFiles(out));
  }

  private List<String> committedNames() {
    return FileSink.committedFiles(out).stream().map(p -> p.getFileName().toString()).toList();
  }

  private List<String> dataFiles() throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_"))
          .sorted().toList();
    }
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  private FileSource streamingReader() {
    FileSource source = new FileSource(out, "json", SCHEMA, options());
    source.useCheckpoint(checkpoint);
    return source;
  }

  /** Reads what the reader has not read after {@code from}; returns the ids and the new end. */
  private static List<Long> readOn(FileSource reader, @Nullable Offset from, List<Offset> end) {
    Offset to = reader.latestOffset(from);
    end.add(to);
    if (to == null || to.equals(from)) {
      return List.of();
    }
    return read(reader, from, to).stream().map(r -> (Long) r.get(0)).toList();
  }

  @Test
  void mergesSmallFilesInBatchOrderIntoFilesOfAtMostTheTargetInOneLogCommit() throws IOException {
    write(sink(100), 0, 6);

    FileSinkCompaction.Result result = compaction().compact(THREE_ROWS);

    assertThat(result).isEqualTo(new FileSinkCompaction.Result(6, 2));
    assertThat(committedNames()).hasSize(3);
    assertThat(committedNames().get(0)).startsWith("part-00006-");
    assertThat(committedNames().subList(1, 3)).satisfiesExactly(
        n -> assertThat(n).matches("merged-00000-00002-[0-9a-f-]{36}\\.json"),
        n -> assertThat(n).matches("merged-00003-00005-[0-9a-f-]{36}\\.json"));
    assertThat(committedIds()).containsExactly(6L, 0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(new SinkLog(out).keys()).extracting(LogKey::fileName).endsWith("6", "6.1");
  }

  @Test
  void aSmallFileWithoutANeighbourToShareWithAndFilesAtTheTargetStayAsTheyAre() {
    FileSink sink = sink(100);
    ColumnBatch big = new ColumnBatch(SCHEMA, 8);
    for (long id = 10; id < 14; id++) {
      big.appendRow(id);
    }
    sink.addBatch(0, SCHEMA, List.of(big), OutputMode.APPEND);
    write(sink, 1, 1);
    List<String> before = committedNames();

    assertThat(compaction().compact(THREE_ROWS)).isEqualTo(new FileSinkCompaction.Result(0, 0));
    assertThat(committedNames()).isEqualTo(before);
    assertThat(new SinkLog(out).keys()).extracting(LogKey::fileName).containsExactly("0", "1");
  }

  @Test
  void theSmallFilesStayUntilVacuumFindsThemRemovedLongerAgoThanItsRetention()
      throws IOException {
    write(sink(100), 0, 2);
    List<Path> listedBefore = FileSink.committedFiles(out);
    compaction().compact(THREE_ROWS);

    now.set(5_000);
    assertThat(compaction().vacuum(Duration.ofSeconds(10))).isZero();
    // A reader that listed the files before the compaction can still read them.
    assertThat(idsIn(listedBefore)).isEqualTo(range(0, 2));

    now.set(11_000);
    assertThat(compaction().vacuum(Duration.ofSeconds(10))).isEqualTo(3);
    assertThat(dataFiles()).singleElement().asString().startsWith("merged-00000-00002-");
    assertThat(committedIds()).isEqualTo(range(0, 2));
  }

  @Test
  void aNegativeRetentionIsRefusedAndDeletesNothing() throws IOException {
    write(sink(100), 0, 2);
    compaction().compact(THREE_ROWS);

    assertThatThrownBy(() -> compaction().vacuum(Duration.ofSeconds(-1)))
        .hasMessageEndingWith("the retention of a vacuum must be zero or more, not PT-1S");
    assertThat(dataFiles()).hasSize(4);
  }

  @Test
  void aBatchRerunAfterItsFilesWereMergedIsStillSkipped() {
    write(sink(100), 0, 2);
    compaction().compact(THREE_ROWS);
    compaction().vacuum(Duration.ZERO);

    FileSink restarted = sink(100);
    ColumnBatch again = new ColumnBatch(SCHEMA, 1);
    again.appendRow(99L);
    restarted.addBatch(2, SCHEMA, List.of(again), OutputMode.APPEND);
    write(restarted, 3, 3);

    assertThat(committedIds()).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void aStreamingReaderDoesNotReadMergedRowsAgainAcrossRestartsAndTheLogsFolding() {
    FileSink sink = sink(3);
    write(sink, 0, 1);
    List<Offset> ends = new ArrayList<>();
    List<Long> streamed = new ArrayList<>(readOn(streamingReader(), null, ends));

    compaction().compact(THREE_ROWS);
    write(sink, 2, 3);
    FileSource reader = streamingReader();
    streamed.addAll(readOn(reader, ends.get(0), ends));
    compaction().compact(THREE_ROWS);
    write(sink, 4, 9);
    streamed.addAll(readOn(reader, ends.get(1), ends));
    compaction().compact(THREE_ROWS);
    write(sink, 10, 12);
    streamed.addAll(readOn(streamingReader(), ends.get(2), ends));

    assertThat(streamed).isEqualTo(range(0, 12));
    assertThat(committedIds()).containsExactlyInAnyOrderElementsOf(range(0, 12));
  }

  @Test
  void aStreamingReaderBehindAMergeReadsTheBatchesItLacksFromTheMergedFilesOrigins() {
    FileSink sink = sink(6);
    write(sink, 0, 1);
    List<Offset> ends = new ArrayList<>();
    List<Long> streamed = new ArrayList<>(readOn(streamingReader(), null, ends));
    write(sink, 2, 4);
    // One file with batches 0 to 4, then the log is folded: the reader sees only the merge.
    compaction().compact(100);
    write(sink, 5, 5);

    streamed.addAll(readOn(streamingReader(), ends.get(0), ends));

    assertThat(committedNames()).hasSize(2).first().asString().startsWith("merged-00000-00004-");
    assertThat(streamed).isEqualTo(range(0, 5));
  }

  @Test
  void aStreamingReaderBehindAMergeWhoseOriginsVacuumDeletedFailsSayingSo() {
    FileSink sink = sink(6);
    write(sink, 0, 1);
    List<Offset> ends = new ArrayList<>();
    readOn(streamingReader(), null, ends);
    write(sink, 2, 4);
    compaction().compact(100);
    compaction().vacuum(Duration.ZERO);
    write(sink, 5, 5);

    assertThatThrownBy(() -> readOn(streamingReader(), ends.get(0), ends))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("has read its batches up to 1 and needs the rows of batches 2 to 4,"
            + " which the compaction action merged into merged-00000-00004-")
        .hasMessageEndingWith("so this reader fell behind the vacuum retention: read the output"
            + " with a new checkpoint, or vacuum with a longer retention");
  }

  @Test
  void mergingAMergedFileAgainKeepsTheFilesItCameFromAsOrigins() {
    FileSink sink = sink(100);
    write(sink, 0, 1);
    List<Offset> ends = new ArrayList<>();
    List<Long> streamed = new ArrayList<>(readOn(streamingReader(), null, ends));
    write(sink, 2, 2);
    compaction().compact(THREE_ROWS);
    write(sink, 3, 4);
    compaction().compact(100);
    write(sink(5), 5, 9);

    SinkFile merged = new SinkLog(out).state().live().stream()
        .filter(f -> f.name().startsWith("merged-")).findFirst().orElseThrow();
    assertThat(merged.origins()).extracting(SinkFile::firstBatch).containsExactly(0L, 1L, 2L, 3L,
        4L);
    streamed.addAll(readOn(streamingReader(), ends.get(0), ends));
    assertThat(streamed).isEqualTo(range(0, 9));
  }

  @Test
  void theSinksCompactFileKeepsRewritesAndForgetsWhatVacuumDeleted() {
    FileSink sink = sink(3);
    write(sink, 0, 1);
    compaction().compact(THREE_ROWS);
    write(sink, 2, 2);
    String merged = committedNames().get(0);
    List<String> parts = FileSink.committedFiles(out).stream().map(Path::getFileName)
        .map(Path::toString).toList();
    String compact = CheckpointFile.read(out.resolve(SinkLog.DIRECTORY).resolve("2.compact"));
    assertThat(compact).startsWith("file 0 1 " + merged + "\norigin 0 0 part-00000-")
        .contains("\norigin 1 1 part-00001-", "\nfile 2 2 " + parts.get(1) + "\n")
        .containsPattern("\nremoved 1000 part-00000-[^\n]*\nremoved 1000 part-00001-");

    compaction().vacuum(Duration.ZERO);
    write(sink, 3, 5);

    assertThat(CheckpointFile.read(out.resolve(SinkLog.DIRECTORY).resolve("5.compact")))
        .startsWith("file 0 1 " + merged + "\nfile 2 2 ")
        .doesNotContain("origin", "removed");
  }

  @Test
  void aCompactionThatDiesBeforeItsCommitLeavesTheOldSetAndTheNextOneDeletesWhatItWrote()
      throws IOException {
    write(sink(100), 0, 2);
    List<String> before = committedNames();
    SinkCompaction dying = new SinkCompaction(out, now::get, () -> {
      throw new IllegalStateException("killed before the commit");
    });

    assertThatThrownBy(() -> dying.compact(THREE_ROWS)).hasMessage("killed before the commit");
    Files.writeString(out.resolve(".merged-00000-00002-x.json.tmp"), "{\"id\":7");

    assertThat(dataFiles()).hasSize(5).anyMatch(n -> n.startsWith("merged-00000-00002-"));
    assertThat(committedNames()).isEqualTo(before);
    FileSource reader = new FileSource(out, "json", SCHEMA, options());
    assertThat(read(reader, null, reader.latestOffset(null))).hasSize(3);

    assertThat(compaction().compact(THREE_ROWS)).isEqualTo(new FileSinkCompaction.Result(3, 1));
    compaction().vacuum(Duration.ZERO);
    assertThat(dataFiles()).singleElement().isEqualTo(committedNames().get(0));
    assertThat(committedIds()).isEqualTo(range(0, 2));
  }

  @Test
  void twoCompactionsAtOnceTakeTurnsSoThatEachFileIsMergedOnce() {
    write(sink(100), 0, 11);

    CompletableFuture<FileSinkCompaction.Result> first =
        CompletableFuture.supplyAsync(() -> compaction().compact(THREE_ROWS));
    CompletableFuture<FileSinkCompaction.Result> second =
        CompletableFuture.supplyAsync(() -> compaction().compact(THREE_ROWS));

    assertThat(first.join().filesMerged() + second.join().filesMerged()).isEqualTo(12);
    assertThat(committedNames()).hasSize(4).allMatch(n -> n.startsWith("merged-"));
    assertThat(committedIds()).isEqualTo(range(0, 11));
  }

  @Test
  void refusesAFolderThatIsNoSinkOutputAndATargetBelowOneByte() {
    assertThatThrownBy(() -> new SinkCompaction(checkpoint, now::get))
        .hasMessage("[Sluice/InvalidOption] " + checkpoint + " is not the output of a file sink:"
            + " it has no _sluice_sink_log folder");
    sink(100);
    assertThatThrownBy(() -> compaction().compact(0))
        .hasMessage("[Sluice/InvalidOption] the target file size of a compaction must be above 0"
            + " bytes, not 0");
  }
}
