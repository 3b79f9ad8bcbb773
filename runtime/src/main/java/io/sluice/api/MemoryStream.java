package io.sluice.api;

import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.connector.AppendedRecords;
import io.sluice.internal.connector.DataArrival;
import io.sluice.internal.connector.SourceProviders;
import io.sluice.internal.plan.LogicalPlan;
import java.util.Arrays;
import java.util.List;

/**
 * A streaming source that the application feeds by hand: each {@link #addData} call makes records
 * available to the next micro-batch, and wakes a query with the default trigger that waits for
 * data. Made for tests and demos.
 *
 * <pre>{@code
 * MemoryStream<Click> clicks = engine.memoryStream(Click.class);
 * clicks.addData(new Click("ann", "home", 1000L));
 * }</pre>
 */
public final class MemoryStream<T> {
  private final Sluice engine;
  private final Class<T> type;
  private final RecordSchema schema;
  // A batch reads a stable prefix while the application keeps adding.
  private final AppendedRecords records = new AppendedRecords();
  private final DataArrival arrival = new DataArrival();

  MemoryStream(Sluice engine, Class<T> type) {
    this.engine = engine;
    this.type = type;
    this.schema = RecordSchema.of(type);
  }

  /** Adds records; returns the offset (record count) after them. */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only read, as a list
  public final long addData(T... values) {
    return addData(Arrays.asList(values));
  }

  public long addData(List<T> values) {
    long size = records.append(values);
    arrival.signal();
    return size;
  }

  /** The stream as a dataset; every query started from it sees every record. */
  public Dataset<T> toDataset() {
    LogicalPlan.Scan scan = new LogicalPlan.Scan(SourceProviders.forRecords(
        "MemoryStream[" + type.getSimpleName() + "]", schema.schema(), schema, this::snapshot,
        arrival), "MemoryStream[" + type.getSimpleName() + "]");
    return new Dataset<>(engine, scan, type);
  }

  private List<?> snapshot() {
    return records;
  }
}
