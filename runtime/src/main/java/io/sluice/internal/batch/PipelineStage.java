package io.sluice.internal.batch;

/**
 * A generated stateless stage: one fused loop that filters, projects and maps the rows of a chunk
 * and appends the results to an output batch; {@code time} takes the event times a {@code
 * withWatermark} in the stage sees.
 */
public interface PipelineStage {
  void process(ColumnBatch in, ColumnBatch out, BatchEventTime time) throws Exception;
}
