package io.sluice.api;

/**
 * What a streaming query writes to its sink after each micro-batch, as in Structured Streaming.
 *
 * <ul>
 *   <li>{@link #APPEND}: only rows that are final: new rows of a stateless query, or (with a
 *       watermark) aggregates that can no longer change.
 *   <li>{@link #UPDATE}: the rows that changed in this batch.
 *   <li>{@link #COMPLETE}: the whole result table, every batch; aggregation queries only.
 * </ul>
 */
public enum OutputMode {
  APPEND,
  UPDATE,
  COMPLETE
}
