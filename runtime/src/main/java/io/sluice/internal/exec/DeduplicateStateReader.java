package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.batch.LongVector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of a deduplication as rows: one per key it remembers, with the key columns as the
 * query names them and, for {@code dropDuplicatesWithinWatermark}, {@code expires_at}: the event
 * time (a TIMESTAMP) the watermark must pass for the key to be forgotten.
 */
final class DeduplicateStateReader implements OperatorStateReader {
  private final DeduplicateLayout layout;
  private final Schema schema;

  private DeduplicateStateReader(DeduplicateLayout layout) {
    this.layout = layout;
    List<Field> columns = new ArrayList<>(layout.keys());
    if (layout.withinWatermark()) {
      columns.add(Field.required("expires_at", DataType.TIMESTAMP));
    }
    this.schema = Schema.of(columns);
  }

  /** The reader of the deduplication state in {@code stateDirectory}. */
  static DeduplicateStateReader open(Path stateDirectory) {
    return new DeduplicateStateReader(DeduplicateLayout.read(stateDirectory));
  }

  @Override
  public List<Field> columns() {
    return schema.fields();
  }

  @Override
  public List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries) {
    ColumnBatch out = new ColumnBatch(schema, entries.size());
    KeyReader keys = new KeyReader();
    List<Field> keyColumns = layout.keys();
    entries.forEach((key, value) -> {
      keys.reset(key.array(), 0);
      for (int k = 0; k < keyColumns.size(); k++) {
        keys.readInto(out.column(k), keyColumns.get(k).type());
      }
      if (layout.withinWatermark()) {
        ((LongVector) out.column(keyColumns.size())).append(ByteBuffer.wrap(value).getLong());
      }
    });
    return out.rows();
  }
}
