package io.sluice.internal.batch;

/**
 * A generated stateless stage: one fused loop that filters, projects and maps the rows of a chunk
 * and appends the results to an output batch.
 */
public interface PipelineStage {
  void process(ColumnBatch in, ColumnBatch out) throws Exception;
}
