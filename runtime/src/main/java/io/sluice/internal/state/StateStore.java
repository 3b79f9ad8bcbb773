package io.sluice.internal.state;

import io.sluice.internal.batch.KeyWriter;

/**
 * The state of one stateful operator: {@link StateStoreConfig#partitions()} partitions, each key
 * living in the partition its stable hash selects.
 */
public final class StateStore implements AutoCloseable {
  private final StatePartition[] partitions;

  public StateStore(String operator, StateStoreConfig config, int averageKeyBytes,
      int averageValueBytes) {
    partitions = new StatePartition[config.partitions()];
    for (int p = 0; p < partitions.length; p++) {
      partitions[p] = new StatePartition(operator + "-p" + p, config.maxKeysPerPartition(),
          averageKeyBytes, averageValueBytes);
    }
  }

  public int partitionCount() {
    return partitions.length;
  }

  public StatePartition partition(int p) {
    return partitions[p];
  }

  /** The partition of a key whose {@link KeyWriter#hash} is {@code hash}. */
  public int partitionOf(int hash) {
    return Math.floorMod(hash, partitions.length);
  }

  public long size() {
    long total = 0;
    for (StatePartition p : partitions) {
      total += p.size();
    }
    return total;
  }

  public long offHeapBytes() {
    long total = 0;
    for (StatePartition p : partitions) {
      total += p.offHeapBytes();
    }
    return total;
  }

  @Override
  public void close() {
    for (StatePartition p : partitions) {
      p.close();
    }
  }
}
