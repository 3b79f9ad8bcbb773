package io.sluice.internal.connector;

import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A source over records held in memory: a memory stream that tests append to, or the fixed list of
 * a bounded dataset. The offset is the number of records.
 */
public final class RecordListSource implements Source {
  private final String description;
  private final Schema schema;
  private final Supplier<List<?>> records;
  private final RecordEncoder encoder;
  private final @Nullable DataArrival arrival;
  private @Nullable Runnable listener;
  /** The record count pinned by {@link #prepareForAvailableNow}, or -1. */
  private long pinnedEnd = -1;

  /** A source over records that signal nothing when they grow, see the other constructor. */
  public RecordListSource(String description, Schema schema,
      io.sluice.internal.analysis.@Nullable RecordSchema recordSchema, Supplier<List<?>> records) {
    this(description, schema, recordSchema, records, null);
  }

  /**
   * {@code records} returns the records so far; {@code recordSchema} is null when they are {@code
   * Row}s; {@code arrival}, when not null, signals new records.
   */
  public RecordListSource(String description, Schema schema,
      io.sluice.internal.analysis.@Nullable RecordSchema recordSchema, Supplier<List<?>> records,
      @Nullable DataArrival arrival) {
    this.description = description;
    this.schema = schema;
    this.records = records;
    this.encoder = new RecordEncoder(recordSchema);
    this.arrival = arrival;
  }

  @Override
  public void onNewData(Runnable wake) {
    if (arrival != null) {
      listener = wake;
      arrival.subscribe(wake);
    }
  }

  @Override
  public void stop() {
    if (arrival != null && listener != null) {
      arrival.unsubscribe(listener);
    }
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    long size = pinnedEnd >= 0 ? pinnedEnd : records.get().size();
    // Never behind the start: a query resumed from a checkpoint over a fresh, shorter list waits
    // for new records instead of reading backwards.
    size = Math.max(size, LongOffset.valueOf(start));
    return size == 0 ? null : new LongOffset(size);
  }

  @Override
  public void prepareForAvailableNow() {
    pinnedEnd = records.get().size();
  }

  @Override
  public long rowsBetween(@Nullable Offset start, Offset end) {
    return LongOffset.valueOf(end) - LongOffset.valueOf(start);
  }

  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    List<?> all = records.get();
    int from = (int) LongOffset.valueOf(start);
    int to = (int) LongOffset.valueOf(end);
    if (to > all.size()) {
      // Only a query resumed from a checkpoint over records that are gone gets here.
      throw new io.sluice.api.SluiceException(io.sluice.api.ErrorKind.CHECKPOINT, description
          + " holds " + all.size() + " records, but the checkpoint asks to re-read up to record "
          + to + "; in-memory records do not survive a restart");
    }
    ColumnBatch chunk = new ColumnBatch(schema, Math.min(to - from, ColumnBatch.DEFAULT_CHUNK_ROWS));
    for (int i = from; i < to; i++) {
      encoder.append(all.get(i), chunk);
      if (chunk.size() == ColumnBatch.DEFAULT_CHUNK_ROWS) {
        out.accept(chunk);
        chunk.clear();
      }
    }
    if (chunk.size() > 0) {
      out.accept(chunk);
    }
  }
}
