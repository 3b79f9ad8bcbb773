package io.sluice.internal.connector;

import io.sluice.internal.batch.ColumnBatch;

/** Receives the chunks a source reads; a chunk may be reused by the source after the call. */
@FunctionalInterface
public interface ChunkConsumer {
  void accept(ColumnBatch chunk);
}
