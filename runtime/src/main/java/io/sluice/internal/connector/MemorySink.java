package io.sluice.internal.connector;

import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a query's output in memory as a table that the application can read: complete mode
 * replaces the table each batch, append and update add rows, as Spark's memory sink does.
 */
public final class MemorySink implements Sink {
  private final String name;
  private final List<Row> rows = new ArrayList<>();
  private long lastBatchId = -1;
  private List<Row> lastBatch = List.of();

  public MemorySink(String name) {
    this.name = name;
  }

  @Override
  public String description() {
    return "MemorySink[" + name + "]";
  }

  @Override
  public synchronized void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks,
      OutputMode mode) {
    if (batchId <= lastBatchId) {
      return;
    }
    List<Row> batch = toRows(schema, chunks);
    if (mode == OutputMode.COMPLETE) {
      rows.clear();
    }
    rows.addAll(batch);
    lastBatch = batch;
    lastBatchId = batchId;
  }

  /** The table as of the last batch. */
  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The rows the last batch wrote. */
  public synchronized List<Row> lastBatch() {
    return lastBatch;
  }

  /** Converts column chunks to rows: for sinks that hand rows to users. */
  public static List<Row> toRows(Schema schema, List<ColumnBatch> chunks) {
    List<Row> out = new ArrayList<>();
    for (ColumnBatch chunk : chunks) {
      for (@Nullable Object[] values : chunk.rows()) {
        out.add(new Row(schema, values));
      }
    }
    return out;
  }
}
