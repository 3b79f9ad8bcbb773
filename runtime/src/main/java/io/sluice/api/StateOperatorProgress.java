package io.sluice.api;

/**
 * The state of one stateful operator after a micro-batch, with Spark's field names: keys held
 * ({@code numRowsTotal}), keys changed in the batch ({@code numRowsUpdated}) and off-heap bytes.
 *
 * <p>{@code allUpdatesTimeMs} is the time the batch spent in the operator's state work (merging
 * into state, running state functions, evicting), {@code commitTimeMs} the time spent making the
 * batch's changes a version (writing them to the checkpoint and into the maps), summed over
 * partitions as Spark sums it over tasks. {@code numShufflePartitions} and {@code
 * numStateStoreInstances} are both the number of state partitions.
 */
public record StateOperatorProgress(String operatorName, long numRowsTotal, long numRowsUpdated,
    long allUpdatesTimeMs, long numRowsRemoved, long commitTimeMs, long memoryUsedBytes,
    long numRowsDroppedByWatermark, int numShufflePartitions, int numStateStoreInstances) {}
