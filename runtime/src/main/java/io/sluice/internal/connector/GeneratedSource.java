package io.sluice.internal.connector;

import io.sluice.api.Clock;
import io.sluice.api.RecordGenerator;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import org.jspecify.annotations.Nullable;

/**
 * Typed records made by a user function at the pace of a rate source: record {@code i} is {@code
 * generator.generate(i, t)}, where {@code t} is the time the rate schedule gives row {@code i}. For
 * demos and load tests that want event types rather than {@code (timestamp, value)} rows.
 */
public final class GeneratedSource implements Source {
  private final RateSource rate;
  private final RecordSchema record;
  private final RecordGenerator<?> generator;
  private final RecordEncoder encoder;

  public GeneratedSource(Options options, Clock clock, RecordSchema record,
      RecordGenerator<?> generator) {
    this.rate = new RateSource(options, clock);
    this.record = record;
    this.generator = generator;
    this.encoder = new RecordEncoder(record);
  }

  @Override
  public String description() {
    return "GeneratedSource[" + record.type().getSimpleName() + ", " + rate.description() + "]";
  }

  @Override
  public Schema schema() {
    return record.schema();
  }

  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    return rate.latestOffset(start);
  }

  @Override
  public void useCheckpoint(java.nio.file.Path directory) {
    rate.useCheckpoint(directory);
  }

  @Override
  public long rowsBetween(@Nullable Offset start, Offset end) {
    return rate.rowsBetween(start, end);
  }

  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    ColumnBatch chunk = new ColumnBatch(record.schema(), RateSource.chunkRows(start, end));
    rate.read(start, end, rows -> {
      long[] indexes = rows.longs(1).values;
      long[] times = rows.longs(0).values;
      for (int from = 0; from < rows.size(); ) {
        int to = Math.min(rows.size(), from + ColumnBatch.DEFAULT_CHUNK_ROWS - chunk.size());
        encoder.generate(generator, indexes, times, from, to, chunk);
        from = to;
        if (chunk.size() == ColumnBatch.DEFAULT_CHUNK_ROWS) {
          out.accept(chunk);
          chunk.clear();
        }
      }
    });
    if (chunk.size() > 0) {
      out.accept(chunk);
    }
  }
}
