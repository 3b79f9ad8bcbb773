package io.sluice.samples.nexmark;

import io.sluice.api.BatchFunction;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The sink of a NEXMark run, for {@code foreachBatch}: counts the rows and sums their checksum
 * ({@link Answer}); a recording sink also keeps every row, for tests. For a query in update mode
 * the answer is the result table, the latest row per key ({@link NexmarkQuery#keyColumns}), which
 * the sink keeps.
 *
 * <p>The query's thread writes, others may read; every method is synchronized.
 */
public final class ResultSink implements BatchFunction<Row> {
  private final @Nullable List<List<Object>> kept;
  private final int keyColumns;
  private final Map<List<Object>, List<Object>> table = new HashMap<>();
  private long rows;
  private long checksum;

  private ResultSink(@Nullable List<List<Object>> kept, int keyColumns) {
    this.kept = kept;
    this.keyColumns = keyColumns;
  }

  /** A sink of {@code query}'s rows that counts them and sums their checksum. */
  public static ResultSink counting(NexmarkQuery query) {
    return new ResultSink(null, query.keyColumns());
  }

  /** A sink of {@code query}'s rows that also keeps every row. */
  public static ResultSink recording(NexmarkQuery query) {
    return new ResultSink(new ArrayList<>(), query.keyColumns());
  }

  @Override
  public synchronized void call(Dataset<Row> batch, long batchId) {
    for (Row row : batch.collectAsList()) {
      List<Object> values = Arrays.asList(row.values());
      if (keyColumns > 0) {
        table.put(values.subList(0, keyColumns), values);
      } else {
        rows++;
        checksum += Answer.hash(values);
        if (kept != null) {
          kept.add(values);
        }
      }
    }
  }

  public synchronized Answer answer() {
    return keyColumns > 0 ? Answer.of(table.values()) : new Answer(rows, checksum);
  }

  /** The rows written so far (the result table, in update mode); empty unless {@link #recording}. */
  public synchronized List<List<Object>> rows() {
    if (kept == null) {
      return List.of();
    }
    return keyColumns > 0 ? List.copyOf(table.values()) : List.copyOf(kept);
  }

  /** Throws if this sink's rows differ in number or checksum from {@code expected}. */
  public synchronized void check(NexmarkQuery query, Answer expected) {
    if (!answer().equals(expected)) {
      throw new IllegalStateException(query.label() + ": the sink got " + rows
          + " rows (checksum " + checksum + "); expected " + expected.rows() + " rows (checksum "
          + expected.checksum() + ")");
    }
  }
}
