package io.sluice.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a partition's next snapshot falls due: after the change logs since the last one add up to
 * its size, at once; after a count of small logs, only once some time has passed since the last
 * snapshot, so that many small batches a second do not rewrite the whole state each time.
 */
class SnapshotScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  @TempDir
  Path folder;

  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  private StateHistory history() {
    return new StateHistory(folder, false, now::get);
  }

  private static StateChanges changes(int keys, int valueBytes) {
    StateChanges changes = new StateChanges();
    for (int k = 0; k < keys; k++) {
      changes.add(("key-" + k).getBytes(), null, new byte[valueBytes]);
    }
    return changes;
  }

  /** Writes small logs for versions {@code from} to {@code to} and returns the last version. */
  private static long smallLogs(StateHistory history, long from, long to) {
    for (long v = from; v <= to; v++) {
      history.writeDelta(v, changes(1, 8));
    }
    return to;
  }

  private static void recordSnapshotAt(StateHistory history, long version) {
    history.recordSnapshot(new StateHistory.Snapshot(version, version, 1_000));
  }

  @Test
  void theFirstSnapshotIsDueAfterTheCountOfLogsWithoutWaiting() {
    StateHistory history = history();
    long last = smallLogs(history, 1, StateHistory.DELTAS_PER_SNAPSHOT - 1);
    assertThat(history.snapshotDue(last)).isFalse();
    last = smallLogs(history, last + 1, last + 1);
    assertThat(history.snapshotDue(last)).isTrue();
  }

  @Test
  void theNextSnapshotByCountWaitsUntilTheIntervalHasPassed() {
    StateHistory history = history();
    long last = smallLogs(history, 1, StateHistory.DELTAS_PER_SNAPSHOT);
    recordSnapshotAt(history, last);
    last = smallLogs(history, last + 1, last + 3 * StateHistory.DELTAS_PER_SNAPSHOT);
    now.addAndGet(StateHistory.MIN_NANOS_BETWEEN_COUNTED_SNAPSHOTS - 1);
    assertThat(history.snapshotDue(last)).isFalse();
    now.addAndGet(1);
    assertThat(history.snapshotDue(last)).isTrue();
  }

  @Test
  void logsAddingUpToTheSnapshotsSizeMakeASnapshotDueWithoutWaiting() {
    StateHistory history = history();
    recordSnapshotAt(history, 0);
    history.writeDelta(1, changes(1_000, 1_100));
    assertThat(history.snapshotDue(1)).isTrue();
  }
}
