package io.sluice.api;

/**
 * The state of one stateful operator after a micro-batch, with Spark's field names: keys held
 * ({@code numRowsTotal}), keys changed in the batch ({@code numRowsUpdated}) and off-heap bytes.
 */
public record StateOperatorProgress(String operatorName, long numRowsTotal, long numRowsUpdated,
    long numRowsRemoved, long memoryUsedBytes, long numRowsDroppedByWatermark,
    int numStateStoreInstances) {}
