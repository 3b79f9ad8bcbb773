package io.sluice.api;

/**
 * Receives each micro-batch's output as a bounded dataset, for {@link
 * DataStreamWriter#foreachBatch}: write it anywhere, with any batch operation.
 */
@FunctionalInterface
public interface BatchFunction<T> {
  void call(Dataset<T> batch, long batchId) throws Exception;
}
