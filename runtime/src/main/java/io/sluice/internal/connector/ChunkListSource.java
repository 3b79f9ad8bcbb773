package io.sluice.internal.connector;

import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A bounded source over chunks already in columns: the rows of one batch, for foreachBatch. */
public final class ChunkListSource implements Source {
  private final Schema schema;
  private final List<ColumnBatch> chunks;

  public ChunkListSource(Schema schema, List<ColumnBatch> chunks) {
    this.schema = schema;
    this.chunks = List.copyOf(chunks);
  }

  /** The batch's rows as they are: collecting them needs no query. */
  public List<ColumnBatch> chunks() {
    return chunks;
  }

  @Override
  public String description() {
    return "BatchRows";
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    return new LongOffset(chunks.size());
  }

  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    for (int i = (int) LongOffset.valueOf(start); i < LongOffset.valueOf(end); i++) {
      out.accept(chunks.get(i));
    }
  }
}
