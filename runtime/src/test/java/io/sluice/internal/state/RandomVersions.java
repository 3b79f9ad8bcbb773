package io.sluice.internal.state;

import static io.sluice.internal.state.StatePartitionTest.key;
import static io.sluice.internal.state.StatePartitionTest.value;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random batches for a state partition of long keys and values, with what each version should
 * hold kept independently of the partition, to compare it with.
 */
final class RandomVersions {
  /** What each version should hold, by version; version 0 is empty. */
  final List<Map<Long, Long>> expected = new ArrayList<>(List.of(Map.of()));
  private final Random random;
  private final int removeOneIn;

  /** Batches drawn from {@code seed}, removing about one changed key in {@code removeOneIn}. */
  RandomVersions(long seed, int removeOneIn) {
    this.random = new Random(seed);
    this.removeOneIn = removeOneIn;
  }

  /**
   * The next batch after the newest expected version: {@code changes} draws among {@code keys}
   * keys, each key changed at most once, read before from {@code p}.
   */
  StateChanges next(StatePartition p, int keys, int changes) {
    Map<Long, Long> next = new HashMap<>(expected.get(expected.size() - 1));
    StateChanges batch = new StateChanges();
    Set<Long> seen = new HashSet<>();
    for (int c = 0; c < changes; c++) {
      long k = random.nextInt(keys);
      if (!seen.add(k)) {
        continue;
      }
      byte[] before = p.get(key(k));
      if (random.nextInt(removeOneIn) == 0) {
        next.remove(k);
        batch.add(key(k), before, null);
      } else {
        long v = random.nextLong();
        next.put(k, v);
        batch.add(key(k), before, value(v));
      }
    }
    expected.add(next);
    return batch;
  }

  /** What the live map of {@code p} holds, decoded. */
  static Map<Long, Long> contents(StatePartition p) {
    Map<Long, Long> out = new HashMap<>();
    p.forEach((k, v) -> out.put(ByteBuffer.wrap(k).getLong(1), ByteBuffer.wrap(v).getLong()));
    return out;
  }
}
