package io.sluice.samples.nexmark;

import io.sluice.api.BatchFunction;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The sink of a NEXMark run, for {@code foreachBatch}: counts the rows and sums their checksum
 * ({@link Answer}); a recording sink also keeps every row, for tests. A query that finishes its
 * answer in the sink (see {@link NexmarkQuery#finish}) has that step applied to each batch's rows
 * first.
 *
 * <p>The query's thread writes, others may read; every method is synchronized.
 */
public final class ResultSink implements BatchFunction<Row> {
  private final @Nullable List<List<Object>> kept;
  private final UnaryOperator<List<List<Object>>> finish;
  private long rows;
  private long checksum;

  private ResultSink(@Nullable List<List<Object>> kept, UnaryOperator<List<List<Object>>> finish) {
    this.kept = kept;
    this.finish = finish;
  }

  /** A sink of {@code query}'s rows that counts them and sums their checksum. */
  public static ResultSink counting(NexmarkQuery query) {
    return new ResultSink(null, query::finish);
  }

  /** A sink of {@code query}'s rows that also keeps every row. */
  public static ResultSink recording(NexmarkQuery query) {
    return new ResultSink(new ArrayList<>(), query::finish);
  }

  @Override
  public synchronized void call(Dataset<Row> batch, long batchId) {
    List<List<Object>> values = new ArrayList<>();
    for (Row row : batch.collectAsList()) {
      values.add(Arrays.asList(row.values()));
    }
    for (List<Object> row : finish.apply(values)) {
      rows++;
      checksum += Answer.hash(row);
      if (kept != null) {
        kept.add(row);
      }
    }
  }

  public synchronized Answer answer() {
    return new Answer(rows, checksum);
  }

  /** The rows written so far; empty unless {@link #recording}. */
  public synchronized List<List<Object>> rows() {
    return kept == null ? List.of() : List.copyOf(kept);
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
