package io.sluice.internal.connector;

import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import java.util.List;

/**
 * A streaming sink: receives each micro-batch's output once the batch has run.
 *
 * <p>{@code addBatch} may be called again with the id of a batch it has already seen, when a
 * query re-runs a batch after a restart; an exactly-once sink ignores such a call.
 */
public interface Sink {
  /** Shown in progress as {@code sink.description}. */
  String description();

  /**
   * Writes batch {@code batchId}: in complete mode the whole result table, otherwise the rows the
   * batch appended or updated.
   */
  void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks, OutputMode mode);

  default void stop() {}
}
