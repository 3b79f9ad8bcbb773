package io.sluice.internal.state;

import static io.sluice.internal.state.RandomVersions.contents;
import static io.sluice.internal.state.StatePartitionTest.key;
import static io.sluice.internal.state.StatePartitionTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot is written on a maintenance thread while later batches change the same keys: it is
 * a base only for the versions from the newest one it may have read on, from which it restores
 * each exactly; retention keeps what the versions it cannot serve need; a failed one fails the
 * next batch; and snapshots named as before background snapshots still read.
 *
 * <p>The maintenance thread is paused inside its iteration by a hook, never by sleeping.
 */
@Timeout(120)
class BackgroundSnapshotTest {
  private static final int KEYS = 2000;

  @TempDir
  Path folder;

  private final ExecutorService maintenance = Executors.newSingleThreadExecutor();
  private final RandomVersions versions = new RandomVersions(7, 8);
  /** What each version should hold, kept independently of the partition. */
  private final List<Map<Long, Long>> expected = versions.expected;
  private final CountDownLatch paused = new CountDownLatch(1);
  private final CountDownLatch resume = new CountDownLatch(1);

  @AfterEach
  void stopMaintenance() {
    resume.countDown();
    maintenance.shutdownNow();
  }

  private StatePartition open(long committed) {
    return StatePartition.open("p", folder, 1_000_000, 9, 16, committed, false);
  }

  /** Makes the next snapshot of {@code p} stop after its first entry until {@link #resume}. */
  private void pauseSnapshotsOf(StatePartition p) {
    AtomicInteger written = new AtomicInteger();
    p.afterSnapshotEntry = () -> {
      if (written.incrementAndGet() == 1) {
        paused.countDown();
        awaitUninterruptibly(resume);
      }
    };
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never resumed the snapshot");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A batch that adds, changes and removes keys at random, most of the keys there are. */
  private StateChanges nextBatch(StatePartition p) {
    return versions.next(p, KEYS, KEYS * 3 / 2);
  }

  /** Applies and commits the next batch, keeping {@code retain} versions. */
  private void runBatch(StatePartition p, int retain) {
    long version = p.version() + 1;
    p.apply(version, nextBatch(p));
    p.maintain(version, retain, maintenance);
  }

  private static Map<Long, Long> decode(Map<ByteBuffer, byte[]> entries) {
    return entries.entrySet().stream().collect(Collectors.toMap(
        e -> e.getKey().getLong(1), e -> ByteBuffer.wrap(e.getValue()).getLong()));
  }

  private static Map<Long, Long> read(Path file) {
    Map<Long, Long> out = new HashMap<>();
    StateFile.read(file, (k, before, after) -> out.put(ByteBuffer.wrap(k).getLong(1),
        ByteBuffer.wrap(after).getLong()));
    return out;
  }

  /** The files ending in {@code suffix} once the maintenance thread has done what it was given. */
  private List<String> names(String suffix) throws Exception {
    maintenance.submit(() -> { }).get();
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted()
          .toList();
    }
  }

  /**
   * Batches 1 to 3, then a snapshot after 3 that pauses after its first entry while batches 4 to
   * 6 change most keys, removing some and adding others; it ends once resumed.
   */
  private void snapshotAfter3WhileBatches4To6Run(StatePartition p, int retain)
      throws Exception {
    for (int b = 0; b < 3; b++) {
      runBatch(p, retain);
    }
    pauseSnapshotsOf(p);
    p.startSnapshot(maintenance);
    awaitUninterruptibly(paused);
    for (int b = 0; b < 3; b++) {
      runBatch(p, retain);
    }
    resume.countDown();
    p.awaitSnapshot();
  }

  @Test
  void aSnapshotTakenWhileLaterBatchesRunRestoresEveryVersionFromItsUsableOneOn()
      throws Exception {
    try (StatePartition p = open(0)) {
      snapshotAfter3WhileBatches4To6Run(p, 3);
      assertThat(names(".snapshot")).containsExactly("3-6.snapshot");
      Map<Long, Long> snapshot = read(folder.resolve("3-6.snapshot"));
      // It is fuzzy indeed: keys read before the pause hold version 3, the others version 6.
      assertThat(snapshot).isNotEqualTo(expected.get(3)).isNotEqualTo(expected.get(6));
      runBatch(p, 3);
      // Version 5 is the oldest retained, and the snapshot no base for it: the logs stay.
      assertThat(names(".delta")).hasSize(7);
      assertThat(decode(StateAtVersion.read(folder, 5))).isEqualTo(expected.get(5));
      runBatch(p, 3);
      // Version 6 is the oldest retained: the snapshot is its base, so the logs up to 3 went and
      // those after 3, older than 6 as they are, stay to bring it to 6.
      assertThat(names(".delta")).containsExactly("4.delta", "5.delta", "6.delta", "7.delta",
          "8.delta");
      for (int v = 6; v <= 8; v++) {
        p.restore(v);
        assertThat(contents(p)).as("version %d", v).isEqualTo(expected.get(v));
        assertThat(decode(StateAtVersion.read(folder, v))).as("read at %d", v)
            .isEqualTo(expected.get(v));
      }
      assertThatThrownBy(() -> p.restore(5)).isInstanceOf(SluiceException.class)
          .hasMessageContaining("cannot restore version 5");
    }
  }

  @Test
  void aSnapshotIsNeverTheBaseOfAVersionBeforeItsUsableOne() throws Exception {
    try (StatePartition p = open(0)) {
      snapshotAfter3WhileBatches4To6Run(p, 100);
      for (int v = 0; v <= 6; v++) {
        p.restore(v);
        assertThat(contents(p)).as("version %d", v).isEqualTo(expected.get(v));
        assertThat(decode(StateAtVersion.read(folder, v))).as("read at %d", v)
            .isEqualTo(expected.get(v));
      }
    }
  }

  @Test
  void aRebuildAfterARestartStartsFromTheSnapshotOnceItIsUsable() throws Exception {
    try (StatePartition p = open(0)) {
      snapshotAfter3WhileBatches4To6Run(p, 2);
      runBatch(p, 2);
      runBatch(p, 2);
    }
    Files.delete(folder.resolve("live"));
    try (StatePartition p = open(8)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.REBUILT);
      assertThat(contents(p)).isEqualTo(expected.get(8));
    }
  }

  /** A map that grows while a snapshot reads it stays open for the snapshot until it ends. */
  @Test
  void aSnapshotReadsOnWhileABatchGrowsTheMap() throws Exception {
    try (StatePartition p = open(0)) {
      runBatch(p, 2);
      pauseSnapshotsOf(p);
      p.startSnapshot(maintenance);
      awaitUninterruptibly(paused);
      Map<Long, Long> grown = new HashMap<>(expected.get(1));
      StateChanges inserts = new StateChanges();
      for (long k = KEYS; k < KEYS + 3 * LiveMap.INITIAL_KEYS; k++) {
        grown.put(k, -k);
        inserts.add(key(k), null, value(-k));
      }
      expected.add(grown);
      p.apply(2, inserts);
      assertThat(folder.resolve("live-65536.cmap")).as("the map it grew from").doesNotExist();
      resume.countDown();
      p.awaitSnapshot();
      // The newest snapshot usable for 2, so the base of both.
      assertThat(names(".snapshot")).containsExactly("1-2.snapshot");
      assertThat(decode(StateAtVersion.read(folder, 2))).isEqualTo(expected.get(2));
      p.restore(2);
      assertThat(contents(p)).isEqualTo(expected.get(2));
    }
  }

  /**
   * A batch that failed after the snapshot read some of its changes is undone: the snapshot is
   * cancelled, or deleted if it was published, and the batch run again replaces it.
   */
  @Test
  void aSnapshotThatMayHoldAnUndoneBatchIsDropped() throws Exception {
    try (StatePartition p = open(0)) {
      for (int b = 0; b < 3; b++) {
        runBatch(p, 100);
      }
      pauseSnapshotsOf(p);
      p.startSnapshot(maintenance);
      awaitUninterruptibly(paused);
      p.apply(4, nextBatch(p));
      resume.countDown();
      p.awaitSnapshot();
      assertThat(names(".snapshot")).containsExactly("3-4.snapshot");
      // Batch 4 did not commit; its next attempt changes other keys.
      expected.remove(4);
      p.rollBackUncommitted();
      assertThat(names(".snapshot")).isEmpty();
      runBatch(p, 100);
      p.restore(4);
      assertThat(contents(p)).isEqualTo(expected.get(4));
    }
  }

  @Test
  void aFailedSnapshotFailsTheNextBatchAndLeavesNoFile() throws Exception {
    try (StatePartition p = open(0)) {
      runBatch(p, 100);
      p.afterSnapshotEntry = () -> {
        throw new IllegalStateException("disk gone");
      };
      p.startSnapshot(maintenance);
      p.awaitSnapshot();
      p.apply(2, nextBatch(p));
      assertThatThrownBy(() -> p.maintain(2, 100, maintenance))
          .isInstanceOf(SluiceException.class)
          .matches(e -> ((SluiceException) e).kind() == ErrorKind.CHECKPOINT)
          .hasMessageContaining("the snapshot of state partition p after version 1 failed")
          .hasMessageContaining("disk gone");
      assertThat(names(".snapshot")).isEmpty();
      assertThat(names(".tmp")).isEmpty();
      p.restore(2);
      assertThat(contents(p)).isEqualTo(expected.get(2));
    }
  }

  /** What an earlier Sluice left: {@code N.snapshot} files, taken at N exactly. */
  @Test
  void snapshotsNamedByOneVersionStillRead() throws Exception {
    try (StatePartition p = open(0)) {
      for (int b = 0; b < 4; b++) {
        runBatch(p, 100);
      }
    }
    try (StateFile.Writer writer = new StateFile.Writer(folder.resolve("2.snapshot"))) {
      expected.get(2).forEach((k, v) -> writer.add(key(k), null, value(v)));
      writer.publish();
    }
    Files.delete(folder.resolve("1.delta"));
    Files.delete(folder.resolve("2.delta"));
    Files.delete(folder.resolve("live"));
    assertThat(decode(StateAtVersion.read(folder, 3))).isEqualTo(expected.get(3));
    try (StatePartition p = open(4)) {
      assertThat(p.opening()).isEqualTo(StatePartition.Opening.REBUILT);
      assertThat(contents(p)).isEqualTo(expected.get(4));
      p.restore(2);
      assertThat(contents(p)).isEqualTo(expected.get(2));
    }
  }
}
