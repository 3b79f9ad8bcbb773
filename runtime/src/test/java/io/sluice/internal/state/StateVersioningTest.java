package io.sluice.internal.state;

import static io.sluice.internal.state.RandomVersions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.openhft.chronicle.hash.impl.SizePrefixedBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointed state partition keeps every retained version restorable, reuses its live map
 * after a restart, undoes a batch that never committed, and names the file when one is damaged.
 */
class StateVersioningTest {
  @TempDir
  Path folder;

  private final RandomVersions versions = new RandomVersions(42, 10);
  /** What each version should hold, kept independently of the partition. */
  private final List<Map<Long, Long>> expected = versions.expected;

  private StatePartition open(long committed) {
    return open(committed, false);
  }

  private StatePartition open(long committed, boolean recover) {
    return StatePartition.open("p", folder, 10_000_000, 9, 16, committed, recover);
  }

  /** A batch that adds, changes and removes keys at random among {@code keys}. */
  private StateChanges nextBatch(StatePartition p, int keys, int changes) {
    return versions.next(p, keys, changes);
  }

  private void runBatches(StatePartition p, int batches, int keys, int changes, int retain) {
    for (int b = 0; b < batches; b++) {
      long version = p.version() + 1;
      p.apply(version, nextBatch(p, keys, changes));
      p.maintain(version, retain);
    }
  }

  private long count(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
    }
  }

  @Test
  void everyRetainedVersionCanBeRestored() {
    try (StatePartition p = open(0)) {
      // Batches large enough that snapshots fall due between them.
      runBatches(p, 12, 200_000, 40_000, 100);
      for (int v = 0; v <= 12; v++) {
        p.restore(v);
        assertThat(contents(p)).as("version %d", v).isEqualTo(expected.get(v));
      }
    }
  }

  @Test
  void oldVersionsAreDeletedOnceNoRetainedVersionNeedsThem() throws IOException {
    try (StatePartition p = open(0)) {
      runBatches(p, 12, 200_000, 40_000, 3);
      assertThat(count(".delta") + count(".snapshot")).isLessThan(12);
      for (int v = 10; v <= 12; v++) {
        p.restore(v);
        assertThat(contents(p)).as("version %d", v).isEqualTo(expected.get(v));
      }
      assertThatThrownBy(() -> p.restore(1)).isInstanceOf(SluiceException.class)
          .hasMessageContaining("cannot restore version 1");
    }
  }

  @Test
  void aRestartAtTheCommittedVersionReusesTheLiveMap() {
    try (StatePartition p = open(0)) {
      runBatches(p, 5, 1000, 300, 100);
    }
    try (StatePartition p = open(5)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.REUSED);
      assertThat(p.version()).isEqualTo(5);
      assertThat(contents(p)).isEqualTo(expected.get(5));
      runBatches(p, 1, 1000, 300, 100);
      assertThat(contents(p)).isEqualTo(expected.get(6));
    }
  }

  @Test
  void aBatchThatNeverCommittedIsUndoneOnRestart() throws IOException {
    try (StatePartition p = open(0)) {
      runBatches(p, 3, 1000, 300, 100);
      p.apply(4, nextBatch(p, 1000, 300));
    }
    try (StatePartition p = open(3, true)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.RECOVERED);
      assertThat(contents(p)).isEqualTo(expected.get(3));
      assertThat(Files.exists(folder.resolve("4.delta"))).isFalse();
    }
  }

  @Test
  void aMapFromBeforeTheMachineRestartedIsRebuiltFromTheFiles() {
    try (StatePartition p = open(0)) {
      runBatches(p, 4, 1000, 300, 100);
    }
    CheckpointFile.write(folder.resolve("live"), "map=live-65536.cmap\nboot=another-boot\n");
    try (StatePartition p = open(4)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.REBUILT);
      assertThat(contents(p)).isEqualTo(expected.get(4));
    }
  }

  /** Chronicle waited a minute per map for the killed process to finish its recovery. */
  @Test
  @Timeout(30)
  void aMapWhoseRecoveryWasKilledIsRebuiltAtOnce() throws IOException {
    try (StatePartition p = open(0)) {
      runBatches(p, 4, 1000, 300, 100);
      p.apply(5, nextBatch(p, 1000, 300));
    }
    // What a kill during Chronicle's recovery leaves: the header marked not complete.
    try (RandomAccessFile file = new RandomAccessFile(
        folder.resolve("live-65536.cmap").toFile(), "rw")) {
      ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      file.getChannel().read(word, SizePrefixedBlob.SIZE_WORD_OFFSET);
      word.putInt(0, word.getInt(0) | SizePrefixedBlob.NOT_COMPLETE).rewind();
      file.getChannel().write(word, SizePrefixedBlob.SIZE_WORD_OFFSET);
    }
    try (StatePartition p = open(4, true)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.REBUILT);
      assertThat(contents(p)).isEqualTo(expected.get(4));
    }
  }

  @Test
  void aRebuildStopsAtTheCommittedVersion() {
    try (StatePartition p = open(0)) {
      runBatches(p, 4, 1000, 300, 100);
    }
    deleteLiveMarker();
    try (StatePartition p = open(3)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.REBUILT);
      assertThat(contents(p)).isEqualTo(expected.get(3));
      assertThat(Files.exists(folder.resolve("4.delta"))).isFalse();
    }
  }

  private void deleteLiveMarker() {
    try {
      Files.delete(folder.resolve("live"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aTruncatedChangeLogIsNamedAndChangesNothing() throws IOException {
    try (StatePartition p = open(0)) {
      runBatches(p, 2, 1000, 300, 100);
      p.apply(3, nextBatch(p, 1000, 300));
    }
    Path delta = folder.resolve("3.delta");
    try (RandomAccessFile f = new RandomAccessFile(delta.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    assertThatThrownBy(() -> open(2, true)).isInstanceOf(SluiceException.class)
        .matches(e -> ((SluiceException) e).kind() == ErrorKind.CHECKPOINT)
        .hasMessageContaining("state file " + delta)
        .hasMessageContaining("truncated");
  }

  @Test
  void aDamagedSnapshotIsNamedWhenARebuildNeedsIt() throws IOException {
    try (StatePartition p = open(0)) {
      runBatches(p, 2, 200_000, 60_000, 100);
    }
    Path snapshot;
    try (Stream<Path> files = Files.list(folder)) {
      snapshot = files.filter(f -> f.toString().endsWith(".snapshot"))
          .max(java.util.Comparator.comparing(f -> Long.parseLong(
              f.getFileName().toString().replace(".snapshot", ""))))
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(snapshot);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(snapshot, bytes);
    deleteLiveMarker();
    assertThatThrownBy(() -> open(2)).isInstanceOf(SluiceException.class)
        .hasMessageContaining("state file " + snapshot + " is corrupt");
  }
}
