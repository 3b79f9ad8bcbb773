package io.sluice.internal.batch;

/**
 * A generated aggregating stage: one fused loop that filters and projects the rows of a chunk,
 * encodes each row's grouping key and updates that key's partial aggregates in place.
 *
 * <p>Rows whose window (or event-time key) the watermark in {@code time} has passed are dropped
 * and counted there. {@code distinct} receives one entry per (group, aggregate, value) for {@code count(DISTINCT)}.
 */
public interface AggregationStage {
  void process(ColumnBatch in, PartialAggregation groups, PartialAggregation distinct,
      BatchEventTime time) throws Exception;
}
