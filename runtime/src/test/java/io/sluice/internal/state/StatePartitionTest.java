package io.sluice.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A state partition grows with its keys up to its limit, keeping every entry. */
class StatePartitionTest {
  static byte[] key(long i) {
    return ByteBuffer.allocate(9).put((byte) 1).putLong(i).array();
  }

  static byte[] value(long i) {
    return ByteBuffer.allocate(16).putLong(i).putLong(-i).array();
  }

  private static StateChanges inserts(long from, long to) {
    StateChanges changes = new StateChanges();
    for (long i = from; i < to; i++) {
      changes.add(key(i), null, value(i));
    }
    return changes;
  }

  @Test
  void growsPastItsFirstMapAndKeepsEveryEntry() {
    int keys = 300_000;
    try (StatePartition p = new StatePartition("grow", 10_000_000, 9, 16)) {
      p.apply(1, inserts(0, keys));
      assertThat(p.size()).isEqualTo(keys);
      for (long i = 0; i < keys; i += 997) {
        assertThat(p.get(key(i))).isEqualTo(value(i));
      }
    }
  }

  @Test
  void failsClearlyOnlyPastItsMaximumAndKeepsItsLastVersion() {
    try (StatePartition p = new StatePartition("capped", LiveMap.INITIAL_KEYS + 10, 9, 16)) {
      p.apply(1, inserts(0, 1000));
      assertThatThrownBy(() -> p.apply(2, inserts(1000, 10 * LiveMap.INITIAL_KEYS)))
          .isInstanceOf(SluiceException.class)
          .matches(e -> ((SluiceException) e).kind() == ErrorKind.STATE_FULL)
          .hasMessageContaining("state partition capped is full")
          .hasMessageContaining("maxKeysPerStatePartition");
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.size()).isEqualTo(1000);
    }
  }

  @Test
  void aBatchTriedAgainReplacesItsEarlierAttempt() {
    try (StatePartition p = new StatePartition("retry", 1000, 9, 16)) {
      p.apply(1, inserts(0, 10));
      p.apply(2, inserts(10, 20));
      p.apply(2, inserts(10, 15));
      assertThat(p.size()).isEqualTo(15);
      assertThat(p.get(key(17))).isNull();
      assertThatThrownBy(() -> p.apply(1, inserts(0, 1)))
          .hasMessageContaining("without a checkpoint only the newest batch is kept");
    }
  }

  /**
   * A reader outside the query that is inside {@code forEachCommitted} when the query closes its
   * state keeps a mapped map to the end; the close waits for it, and later reads say why they
   * fail.
   */
  @Test
  void closeWaitsForReadersAndLaterReadsSayTheQueryStopped() throws InterruptedException {
    StatePartition p = new StatePartition("Query-groups-p0", 1000, 9, 16);
    p.apply(1, inserts(0, 10));
    p.maintain(1, 1);
    Thread closer = new Thread(p::close, "closer");
    Thread.State[] whileReading = new Thread.State[1];
    int[] read = {0};
    p.forEachCommitted((k, v) -> {
      if (read[0]++ == 0) {
        closer.start();
        whileReading[0] = blockedOrDone(closer);
      }
    });
    closer.join();
    assertThat(whileReading[0]).isEqualTo(Thread.State.WAITING);
    assertThat(read[0]).isEqualTo(10);
    assertThatThrownBy(() -> p.getCommitted(key(1))).isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/Execution] state partition Query-groups-p0 is closed because its"
            + " query stopped; its state can be read only while the query runs");
  }

  /** The state {@code thread} settles in: parked on a lock, or done. */
  private static Thread.State blockedOrDone(Thread thread) {
    long bound = System.nanoTime() + 10_000_000_000L;
    Thread.State state = thread.getState();
    while ((state == Thread.State.NEW || state == Thread.State.RUNNABLE)
        && System.nanoTime() < bound) {
      Thread.onSpinWait();
      state = thread.getState();
    }
    return state;
  }
}
