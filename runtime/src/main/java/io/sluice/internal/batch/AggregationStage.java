package io.sluice.internal.batch;

/**
 * A generated aggregating stage: one fused loop that filters and projects the rows of a chunk,
 * encodes each row's grouping key and updates that key's partial aggregates in place.
 *
 * <p>{@code distinct} receives one entry per (group, aggregate, value) for {@code count(DISTINCT)}.
 */
public interface AggregationStage {
  void process(ColumnBatch in, PartialAggregation groups, PartialAggregation distinct)
      throws Exception;
}
