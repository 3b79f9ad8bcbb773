package io.sluice.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files are written atomically and never trusted when damaged. */
class CheckpointFilesTest {
  @TempDir
  Path dir;

  @Test
  void aFileReadsBackAsWrittenAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("offsets").resolve("3");
    CheckpointFile.write(file, "{\"end\": 42}\nsecond line ü");
    CheckpointFile.write(file, "{\"end\": 43}");
    assertThat(CheckpointFile.read(file)).isEqualTo("{\"end\": 43}");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aChangedByteIsReportedAsCorruptNamingTheFile() throws Exception {
    Path file = dir.resolve("commits-7");
    CheckpointFile.write(file, "12345");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 2] = '9';
    Files.write(file, bytes);
    assertThatThrownBy(() -> CheckpointFile.read(file))
        .isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
            + " is corrupt: its checksum does not match its contents");
  }

  @Test
  void aTruncatedFileIsReportedAsCorrupt() throws Exception {
    Path file = dir.resolve("truncated");
    CheckpointFile.write(file, "a longer body");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    assertThatThrownBy(() -> CheckpointFile.read(file))
        .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
            + " is corrupt: its body has 9 bytes, the header says 13 (truncated?)");
  }

  @Test
  void anEmptyFileOrOneWithoutAHeaderIsCorrupt() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThatThrownBy(() -> CheckpointFile.read(empty))
        .hasMessageEndingWith("is corrupt: it has no header line (empty or truncated)");
    Path foreign = Files.writeString(dir.resolve("foreign"), "{\"id\":1}\n");
    assertThatThrownBy(() -> CheckpointFile.read(foreign))
        .hasMessageEndingWith("is corrupt: its header is not a Sluice checkpoint header");
  }

  @Test
  void aFileOfANewerFormatIsRefused() throws Exception {
    Path file = dir.resolve("future");
    Files.writeString(file, "sluice-checkpoint v2 crc32=00000000 length=0\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CheckpointFile.read(file))
        .hasMessage("[Sluice/Checkpoint] checkpoint file " + file
            + " has format version 2; this Sluice reads up to 1");
  }

  @Test
  void aFailedWriteIsAClearErrorAndLeavesNothingBehind() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
    Path file = blocker.resolve("offsets").resolve("0");
    assertThatThrownBy(() -> CheckpointFile.write(file, "1"))
        .isInstanceOf(SluiceException.class)
        .matches(e -> ((SluiceException) e).kind() == ErrorKind.CHECKPOINT)
        .hasMessageStartingWith("[Sluice/Checkpoint] cannot write checkpoint file " + file);
    assertThat(Files.readString(blocker)).isEqualTo("x");
  }

  @Test
  void aBatchLogFindsItsLatestEntryAndForgetsOldOnes() {
    BatchLog log = new BatchLog(dir.resolve("offsets"));
    assertThat(log.latestBatchId()).isEmpty();
    for (long id = 0; id <= 11; id++) {
      log.add(id, Long.toString(id * 10));
    }
    assertThat(log.latestBatchId()).hasValue(11);
    assertThat(log.get(7)).hasValue("70");
    log.purgeBefore(10);
    assertThat(log.get(9)).isEmpty();
    assertThat(log.get(10)).hasValue("100");
  }

  @Test
  void aCheckpointKeepsItsQueryIdAndRefusesAnotherQuery() {
    Checkpoint first = openThenClose(dir, 4, "stateless");
    Checkpoint again = openThenClose(dir, 4, "stateless");
    assertThat(again.metadata().queryId()).isEqualTo(first.metadata().queryId());
    assertThatThrownBy(() -> openThenClose(dir, 4, "aggregate (page STRING)"))
        .hasMessage("[Sluice/Checkpoint] checkpoint " + dir + " belongs to a different query "
            + "(its state is stateless; this query's is aggregate (page STRING)); start from a "
            + "new checkpoint location");
  }

  @Test
  void malformedMetadataIsReportedByName() {
    Path metadata = dir.resolve("metadata");
    CheckpointFile.write(metadata, "{\"id\":\"not-a-uuid\"}");
    assertThatThrownBy(() -> openThenClose(dir, 4, "stateless"))
        .hasMessageStartingWith("[Sluice/Checkpoint] checkpoint metadata " + metadata
            + " is malformed");
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
