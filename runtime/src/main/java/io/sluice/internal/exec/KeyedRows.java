package io.sluice.internal.exec;

import io.sluice.api.MapFunction;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.LongVector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A batch's rows held as records by their {@code groupByKey} key, in the order keys first appear,
 * for an operator that calls a user function once per key after reading the batch; rows the
 * previous batch's watermark passed are dropped and counted as late.
 */
final class KeyedRows {
  private final RecordRows values;
  private final GroupKeys keys;
  private final MapFunction<Object, Object> keyFunction;
  private final Map<ByteBuffer, List<Object>> rows = new LinkedHashMap<>();
  private final Map<ByteBuffer, @Nullable Object> keyObjects = new LinkedHashMap<>();
  private long late;

  @SuppressWarnings("unchecked")
  KeyedRows(RecordRows values, GroupKeys keys, Object keyFunction) {
    this.values = values;
    this.keys = keys;
    this.keyFunction = (MapFunction<Object, Object>) keyFunction;
  }

  void clear() {
    rows.clear();
    keyObjects.clear();
    late = 0;
  }

  /**
   * Holds the rows of {@code in}; with {@code eventTimeColumn} (or -1 for none), a row at or
   * before {@code lateWatermark} is late.
   */
  void add(ColumnBatch in, int eventTimeColumn, long lateWatermark) throws Exception {
    LongVector times = eventTimeColumn < 0 ? null : (LongVector) in.column(eventTimeColumn);
    for (int row = 0; row < in.size(); row++) {
      if (times != null && !times.isNull(row) && times.values[row] <= lateWatermark) {
        late++;
        continue;
      }
      Object value = values.read(in, row);
      Object key = keyFunction.call(value);
      ByteBuffer k = ByteBuffer.wrap(keys.encode(key));
      rows.computeIfAbsent(k, x -> new ArrayList<>()).add(value);
      keyObjects.putIfAbsent(k, key);
    }
  }

  /** The rows by encoded key. */
  Map<ByteBuffer, List<Object>> byKey() {
    return rows;
  }

  /** The key object whose encoding is {@code key}. */
  @Nullable Object key(ByteBuffer key) {
    return keyObjects.get(key);
  }

  boolean contains(byte[] key) {
    return rows.containsKey(ByteBuffer.wrap(key));
  }

  /** Rows of the batch dropped as late. */
  long late() {
    return late;
  }
}
