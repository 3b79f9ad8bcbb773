package io.sluice.internal.batch;

import io.sluice.api.RecordGenerator;

/**
 * Writes typed records into the columns of a {@link ColumnBatch}, one column per component. The
 * code generator makes one per record class, calling each accessor directly, so a record costs a
 * few array writes: no reflection, no boxing.
 */
public interface RecordWriter {
  /** Appends {@code record} as one row of {@code out}. */
  void append(Object record, ColumnBatch out);

  /**
   * Appends the records {@code generator} makes for {@code indexes[r]} and {@code times[r]}, for
   * {@code r} from {@code from} (inclusive) to {@code to} (exclusive), in that order.
   */
  void generate(RecordGenerator<?> generator, long[] indexes, long[] times, int from, int to,
      ColumnBatch out);
}
