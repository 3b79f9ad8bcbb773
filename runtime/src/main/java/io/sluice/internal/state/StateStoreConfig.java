package io.sluice.internal.state;

/**
 * How state is laid out: the number of partitions (fixed for the life of a query), how many keys a
 * partition may hold, how many committed versions a checkpoint keeps restorable, and whether the
 * files a batch writes to the checkpoint are synced to disk ({@code syncCheckpoint}) or only
 * renamed into place.
 */
public record StateStoreConfig(int partitions, long maxKeysPerPartition, int minBatchesToRetain,
    boolean syncCheckpoint) {
  /** Spark's default for {@code spark.sql.streaming.minBatchesToRetain}. */
  public static final int DEFAULT_BATCHES_TO_RETAIN = 100;

  public StateStoreConfig {
    if (partitions < 1) {
      throw new IllegalArgumentException("state partitions must be at least 1, not " + partitions);
    }
    if (maxKeysPerPartition < 1) {
      throw new IllegalArgumentException(
          "max keys per partition must be at least 1, not " + maxKeysPerPartition);
    }
    if (minBatchesToRetain < 1) {
      throw new IllegalArgumentException(
          "batches to retain must be at least 1, not " + minBatchesToRetain);
    }
  }

  public StateStoreConfig(int partitions, long maxKeysPerPartition) {
    this(partitions, maxKeysPerPartition, DEFAULT_BATCHES_TO_RETAIN, false);
  }
}
