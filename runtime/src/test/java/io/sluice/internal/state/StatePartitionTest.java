package io.sluice.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A state partition grows with its keys up to its limit, keeping every entry. */
class StatePartitionTest {
  private static byte[] key(long i) {
    return ByteBuffer.allocate(9).put((byte) 1).putLong(i).array();
  }

  private static byte[] value(long i) {
    return ByteBuffer.allocate(16).putLong(i).putLong(-i).array();
  }

  @Test
  void growsPastItsFirstMapAndKeepsEveryEntry() {
    int keys = 300_000;
    try (StatePartition p = new StatePartition("grow", 10_000_000, 9, 16)) {
      for (long i = 0; i < keys; i++) {
        p.put(key(i), value(i));
      }
      assertThat(p.size()).isEqualTo(keys);
      for (long i = 0; i < keys; i += 997) {
        assertThat(p.get(key(i))).isEqualTo(value(i));
      }
      assertThat(p.putIfAbsent(key(5), value(6))).isFalse();
      assertThat(p.putIfAbsent(key(keys), value(keys))).isTrue();
    }
  }

  @Test
  void failsClearlyOnlyPastItsMaximum() {
    try (StatePartition p = new StatePartition("capped", StatePartition.INITIAL_KEYS + 10, 9, 16)) {
      assertThatThrownBy(() -> {
        for (long i = 0; i < 10 * StatePartition.INITIAL_KEYS; i++) {
          p.put(key(i), value(i));
        }
      }).isInstanceOf(SluiceException.class)
          .matches(e -> ((SluiceException) e).kind() == ErrorKind.STATE_FULL)
          .hasMessageContaining("state partition capped is full")
          .hasMessageContaining("maxKeysPerStatePartition");
      assertThat(p.size()).isGreaterThan(StatePartition.INITIAL_KEYS);
    }
  }
}
