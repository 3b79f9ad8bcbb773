package io.sluice.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract the executor relies on, edge by edge: what a checkpoint file looks like on disk,
 * how a failed write and a damaged file are reported, how the batch logs treat stray files, and
 * what opening a checkpoint checks. Complements {@link CheckpointFilesTest}.
 */
class CheckpointContractTest {
  @TempDir
  Path dir;

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static SluiceException checkpointError(Throwable e) {
    assertThat(e).isInstanceOf(SluiceException.class);
    SluiceException s = (SluiceException) e;
    assertThat(s.kind()).isEqualTo(ErrorKind.CHECKPOINT);
    return s;
  }

  @Nested
  class AFileOnDisk {
    @Test
    void startsWithAHeaderOfVersionChecksumAndByteLength() throws IOException {
      Path file = dir.resolve("f");
      CheckpointFile.write(file, "ü\n");
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // "ü" is two bytes in UTF-8: the length counts bytes, not characters.
      assertThat(text).matches("sluice-checkpoint v1 crc32=[0-9a-f]{8} length=3\nü\n");
    }

    @Test
    void anEmptyBodyAndTrailingNewlinesReadBackExactly() {
      Path empty = dir.resolve("empty-body");
      CheckpointFile.write(empty, "");
      assertThat(CheckpointFile.read(empty)).isEmpty();
      Path lines = dir.resolve("lines");
      CheckpointFile.write(lines, "a\n\nb\n\n");
      assertThat(CheckpointFile.read(lines)).isEqualTo("a\n\nb\n\n");
    }

    @Test
    void aTemporaryFileLeftByACrashedWriterDoesNotStopTheNextWrite() throws IOException {
      Path file = dir.resolve("5");
      Files.writeString(dir.resolve(".5.tmp"), "half a wri");
      CheckpointFile.write(file, "whole");
      assertThat(CheckpointFile.read(file)).isEqualTo("whole");
      assertThat(names(dir)).containsExactly("5");
    }
  }

  @Nested
  class AFailedWrite {
    @Test
    void intoAFolderThatIsARegularFileNamesThePath() throws IOException {
      Path blocker = Files.writeString(dir.resolve("checkpoint"), "x");
      Path file = blocker.resolve("metadata");
      assertThatThrownBy(() -> CheckpointFile.write(file, "{}"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessageStartingWith("[Sluice/Checkpoint] cannot write checkpoint file " + file + ": ");
    }

    @Test
    void thatFailsAtTheRenameRemovesItsTemporaryFile() throws IOException {
      // The target is a non-empty folder: the temporary file is written, the rename fails.
      Path file = Files.createDirectory(dir.resolve("7"));
      Files.writeString(file.resolve("inside"), "x");
      assertThatThrownBy(() -> CheckpointFile.write(file, "body"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessageStartingWith("[Sluice/Checkpoint] cannot write checkpoint file " + file + ": ");
      assertThat(names(dir)).containsExactly("7");
      assertThat(names(file)).containsExactly("inside");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void intoAReadOnlyFolderNamesThePathAndLeavesTheOldFile() throws IOException {
      Path folder = Files.createDirectory(dir.resolve("read-only"));
      Path file = folder.resolve("0");
      CheckpointFile.write(file, "old");
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
      try {
        Assumptions.assumeFalse(Files.isWritable(folder),
            "running as root: a read-only folder is still writable (see the rename test)");
        assertThatThrownBy(() -> CheckpointFile.write(file, "new"))
            .satisfies(CheckpointContractTest::checkpointError)
            .hasMessageStartingWith(
                "[Sluice/Checkpoint] cannot write checkpoint file " + file + ": ");
        assertThat(CheckpointFile.read(file)).isEqualTo("old");
        assertThat(names(folder)).containsExactly("0");
      } finally {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  @Nested
  class ADamagedFile {
    @Test
    void withAnotherMagicIsCorrupt() throws IOException {
      Path file = dir.resolve("magic");
      Files.writeString(file, "spark-checkpoint v1 crc32=00000000 length=0\n");
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
              + " is corrupt: its header is not a Sluice checkpoint header");
    }

    @Test
    void withAChangedChecksumIsCorrupt() throws IOException {
      Path file = dir.resolve("crc");
      CheckpointFile.write(file, "body");
      String text = Files.readString(file);
      Files.writeString(file, text.replaceFirst("crc32=[0-9a-f]{8}", "crc32=00000000"));
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
              + " is corrupt: its checksum does not match its contents");
    }

    @Test
    void cutInsideItsHeaderIsCorrupt() throws IOException {
      Path file = dir.resolve("cut");
      CheckpointFile.write(file, "body");
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(bytes, 20));
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
              + " is corrupt: it has no header line (empty or truncated)");
    }

    @Test
    void withBytesAppendedIsCorrupt() throws IOException {
      Path file = dir.resolve("longer");
      CheckpointFile.write(file, "body");
      Files.writeString(file, "more", java.nio.file.StandardOpenOption.APPEND);
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
              + " is corrupt: its body has 8 bytes, the header says 4 (truncated?)");
    }

    @Test
    void withOversizedNumbersInItsHeaderIsCorrupt() throws IOException {
      Path file = dir.resolve("huge");
      Files.writeString(file, "sluice-checkpoint v99999999999 crc32=00000000 length=0\n");
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
              + " is corrupt: its header is not a Sluice checkpoint header");
      Files.writeString(file, "sluice-checkpoint v1 crc32=00000000 length=99999999999999999999\nx");
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
              + " is corrupt: its header is not a Sluice checkpoint header");
    }

    @Test
    void thatIsMissingIsReportedAsMissing() {
      Path file = dir.resolve("absent");
      assertThatThrownBy(() -> CheckpointFile.read(file))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + file + " is missing");
    }
  }

  @Nested
  class ABatchLog {
    @Test
    void createsItsFolderAndIsEmptyAtFirst() {
      Path folder = dir.resolve("a").resolve("offsets");
      BatchLog log = new BatchLog(folder);
      assertThat(folder).isDirectory();
      assertThat(log.latestBatchId()).isEmpty();
      assertThat(log.get(0)).isEmpty();
    }

    @Test
    void thatCannotCreateItsFolderNamesIt() throws IOException {
      Path blocker = Files.writeString(dir.resolve("checkpoint"), "x");
      Path folder = blocker.resolve("commits");
      assertThatThrownBy(() -> new BatchLog(folder))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessageStartingWith("[Sluice/Checkpoint] cannot create checkpoint folder " + folder
              + ": ");
    }

    @Test
    void ignoresTemporaryFilesAndNamesThatAreNotNumbers() throws IOException {
      Path folder = dir.resolve("offsets");
      BatchLog log = new BatchLog(folder);
      log.add(3, "three");
      Files.writeString(folder.resolve(".9.tmp"), "crashed writer");
      Files.writeString(folder.resolve("12.bak"), "copy");
      Files.writeString(folder.resolve("README"), "notes");
      Files.createDirectory(folder.resolve("-1"));
      Files.writeString(folder.resolve("007"), "not a name add() writes");
      assertThat(log.latestBatchId()).hasValue(3);
      log.purgeBefore(100);
      assertThat(names(folder)).containsExactly("-1", ".9.tmp", "007", "12.bak", "README");
    }

    @Test
    void comparesIdsAsNumbersNotAsText() {
      BatchLog log = new BatchLog(dir.resolve("commits"));
      log.add(9, "{}");
      log.add(10, "{}");
      log.add(Long.MAX_VALUE / 10, "{}");
      assertThat(log.latestBatchId()).hasValue(Long.MAX_VALUE / 10);
    }

    @Test
    void replacesAnEntryThatIsWrittenAgain() {
      BatchLog log = new BatchLog(dir.resolve("offsets"));
      log.add(4, "first attempt");
      log.add(4, "second attempt");
      assertThat(log.get(4)).hasValue("second attempt");
    }

    @Test
    void purgesOnlyTheEntriesBeforeTheGivenBatch() throws IOException {
      Path folder = dir.resolve("offsets");
      BatchLog log = new BatchLog(folder);
      for (long id = 0; id < 5; id++) {
        log.add(id, "e" + id);
      }
      log.purgeBefore(3);
      assertThat(names(folder)).containsExactly("3", "4");
      log.purgeBefore(0);
      assertThat(names(folder)).containsExactly("3", "4");
      assertThat(log.latestBatchId()).hasValue(4);
    }

    @Test
    void keepsPurgingAsBatchesCommitAndNewEntriesArrive() throws IOException {
      Path folder = dir.resolve("commits");
      BatchLog log = new BatchLog(folder, false);
      for (long id = 0; id < 5; id++) {
        log.add(id, "e" + id);
      }
      log.purgeBefore(2);
      for (long id = 5; id < 8; id++) {
        log.add(id, "e" + id);
        log.purgeBefore(id - 2);
      }
      assertThat(names(folder)).containsExactly("5", "6", "7");
      // An entry written again below what was purged (a batch re-run) is purged again later.
      log.add(1, "again");
      log.purgeBefore(6);
      assertThat(names(folder)).containsExactly("6", "7");
      assertThat(log.get(6)).hasValue("e6");
    }

    @Test
    void entriesWrittenWithoutSyncReadBackTheSame() {
      BatchLog log = new BatchLog(dir.resolve("offsets"), false);
      log.add(0, "{\"batchWatermarkMs\":0}\n7");
      assertThat(new BatchLog(dir.resolve("offsets")).get(0))
          .hasValue("{\"batchWatermarkMs\":0}\n7");
    }

    @Test
    void reportsADamagedEntryInsteadOfSkippingIt() throws IOException {
      Path folder = dir.resolve("offsets");
      BatchLog log = new BatchLog(folder);
      log.add(2, "{\"end\":5}");
      Files.writeString(folder.resolve("2"), "garbage");
      assertThatThrownBy(() -> log.get(2))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + folder.resolve("2")
              + " is corrupt: it has no header line (empty or truncated)");
    }
  }

  @Nested
  class OpeningACheckpoint {
    @Test
    void thatIsNewWritesMetadataAndTheTwoLogs() throws IOException {
      Path folder = dir.resolve("q1");
      Checkpoint checkpoint = openThenClose(folder, 8, "aggregate (page STRING)");
      assertThat(names(folder)).containsExactly(".lock", "commits", "metadata", "offsets");
      CheckpointMetadata onDisk =
          CheckpointMetadata.fromJson(CheckpointFile.read(folder.resolve("metadata")), folder);
      assertThat(onDisk).isEqualTo(checkpoint.metadata());
      assertThat(onDisk.formatVersion()).isEqualTo(CheckpointFile.FORMAT_VERSION);
      assertThat(onDisk.statePartitions()).isEqualTo(8);
      assertThat(onDisk.queryFingerprint()).isEqualTo("aggregate (page STRING)");
      assertThat(checkpoint.directory()).isEqualTo(folder);
      assertThat(checkpoint.stateDirectory()).isEqualTo(folder.resolve("state")).doesNotExist();
      assertThat(checkpoint.sourceDirectory(2)).isEqualTo(folder.resolve("sources/2"));
    }

    @Test
    void thatIsNewGetsItsOwnQueryId() {
      UUID a = openThenClose(dir.resolve("a"), 1, "q").metadata().queryId();
      UUID b = openThenClose(dir.resolve("b"), 1, "q").metadata().queryId();
      assertThat(a).isNotEqualTo(b);
    }

    @Test
    void thatExistsKeepsItsIdAndItsLogs() {
      Checkpoint first = openThenClose(dir, 4, "q");
      first.offsets().add(0, "{\"end\":10}");
      first.commits().add(0, "{}");
      first.offsets().add(1, "{\"end\":20}");
      Checkpoint again = openThenClose(dir, 4, "q");
      assertThat(again.metadata()).isEqualTo(first.metadata());
      assertThat(again.offsets().latestBatchId()).hasValue(1);
      assertThat(again.commits().latestBatchId()).hasValue(0);
      assertThat(again.offsets().get(1)).hasValue("{\"end\":20}");
    }

    @Test
    void withAnotherNumberOfStatePartitionsIsRefusedAndLeftAsItWas() {
      CheckpointMetadata original = openThenClose(dir, 4, "q").metadata();
      assertThatThrownBy(() -> openThenClose(dir, 8, "q"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint " + dir + " was written with 4 state "
              + "partitions; this query asks for 8; the number of state partitions is fixed for "
              + "the life of a checkpoint");
      assertThat(openThenClose(dir, 4, "q").metadata()).isEqualTo(original);
    }

    @Test
    void ofAnotherQueryIsRefused() {
      openThenClose(dir, 4, "stateless");
      assertThatThrownBy(() -> openThenClose(dir, 4, "dedup (id LONG)"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint " + dir + " belongs to a different query "
              + "(its state is stateless; this query's is dedup (id LONG)); start from a new "
              + "checkpoint location");
    }

    @Test
    void ofAQueryReadingAnotherSourceIsRefused() {
      openThenClose(dir, 4, "q");
      assertThatThrownBy(() -> Checkpoint.open(dir, 4, "q", "OtherSource").close())
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint " + dir + " belongs to a query reading "
              + "TestSource; this query reads OtherSource: its offsets would mean nothing to "
              + "this source; start from a new checkpoint location");
    }

    @Test
    void whoseMetadataHasANewerFormatIsRefused() {
      CheckpointMetadata future =
          new CheckpointMetadata(UUID.randomUUID(), 2, 4, "q", "TestSource");
      CheckpointFile.write(dir.resolve("metadata"), future.toJson());
      assertThatThrownBy(() -> openThenClose(dir, 4, "q"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint " + dir
              + " has format version 2; this Sluice reads up to 1");
    }

    @Test
    void whoseMetadataFileHasANewerFormatIsRefused() throws IOException {
      Path metadata = dir.resolve("metadata");
      Files.writeString(metadata, "sluice-checkpoint v2 crc32=00000000 length=0\n");
      assertThatThrownBy(() -> openThenClose(dir, 4, "q"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + metadata
              + " has format version 2; this Sluice reads up to 1");
    }

    @Test
    void whoseMetadataIsDamagedIsRefusedNotRecreated() throws IOException {
      openThenClose(dir, 4, "q");
      Path metadata = dir.resolve("metadata");
      byte[] bytes = Files.readAllBytes(metadata);
      bytes[bytes.length - 3] ^= 1;
      Files.write(metadata, bytes);
      assertThatThrownBy(() -> openThenClose(dir, 4, "q"))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessage("[Sluice/Checkpoint] checkpoint file " + metadata
              + " is corrupt: its checksum does not match its contents");
      assertThat(Files.readAllBytes(metadata)).isEqualTo(bytes);
    }
  }

  @Nested
  class MetadataJson {
    @Test
    void roundTripsQuotesNewlinesAndNonAscii() {
      CheckpointMetadata m =
          new CheckpointMetadata(UUID.randomUUID(), 1, 16, "a \"b\"\n ü \\", "Source[ü]");
      assertThat(CheckpointMetadata.fromJson(m.toJson(), dir)).isEqualTo(m);
    }

    @Test
    void thatIsNotJsonNamesTheFile() {
      Path file = dir.resolve("metadata");
      assertThatThrownBy(() -> CheckpointMetadata.fromJson("{\"id\":", file))
          .satisfies(CheckpointContractTest::checkpointError)
          .hasMessageStartingWith("[Sluice/Checkpoint] checkpoint metadata " + file
              + " is malformed: ");
      assertThatThrownBy(() -> CheckpointMetadata.fromJson("[]", file))
          .hasMessage("[Sluice/Checkpoint] checkpoint metadata " + file
              + " is malformed: not a JSON object");
    }

    @Test
    void skipsFieldsItDoesNotKnowWhateverTheirShapeAndReadsAMissingSourceAsUnknown() {
      UUID id = UUID.randomUUID();
      String json = "{\"later\":{\"formatVersion\":9,\"x\":[1,{\"y\":2}]},\"id\":\"" + id
          + "\",\"formatVersion\":1,\"tags\":[\"a\"],\"statePartitions\":4,"
          + "\"note\":null,\"queryFingerprint\":\"q\"}";
      assertThat(CheckpointMetadata.fromJson(json, dir))
          .isEqualTo(new CheckpointMetadata(id, 1, 4, "q", ""));
    }

    @Test
    void thatIsCutShortSaysSoOnOneLine() {
      Path file = dir.resolve("metadata");
      assertThatThrownBy(() -> CheckpointMetadata.fromJson("{\"id\":", file))
          .message()
          .startsWith("[Sluice/Checkpoint] checkpoint metadata " + file + " is malformed: ")
          .doesNotContain("\n");
    }

    @Test
    void withoutARequiredFieldNamesTheField() {
      Path file = dir.resolve("metadata");
      String json = "{\"id\":\"" + UUID.randomUUID() + "\",\"formatVersion\":1,"
          + "\"queryFingerprint\":\"q\"}";
      assertThatThrownBy(() -> CheckpointMetadata.fromJson(json, file))
          .hasMessage("[Sluice/Checkpoint] checkpoint metadata " + file
              + " is malformed: field 'statePartitions' is missing");
    }
  }

  /**
   * Opens a checkpoint as a query would and closes it again, as the query does when it stops, so
   * that the next open in this test is not refused as a second running query.
   */
  private static Checkpoint openThenClose(Path directory, int partitions, String fingerprint) {
    Checkpoint checkpoint = Checkpoint.open(directory, partitions, fingerprint, "TestSource");
    checkpoint.close();
    return checkpoint;
  }
}
