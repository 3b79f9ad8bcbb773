package io.sluice.internal.state;

/**
 * How state is laid out: the number of partitions (fixed for the life of a query), how many keys a
 * partition may hold, and the expected key and value sizes that Chronicle Map sizes its memory by.
 */
public record StateStoreConfig(int partitions, long maxKeysPerPartition) {
  public StateStoreConfig {
    if (partitions < 1) {
      throw new IllegalArgumentException("state partitions must be at least 1, not " + partitions);
    }
    if (maxKeysPerPartition < 1) {
      throw new IllegalArgumentException(
          "max keys per partition must be at least 1, not " + maxKeysPerPartition);
    }
  }
}
