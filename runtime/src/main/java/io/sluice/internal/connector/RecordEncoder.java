package io.sluice.internal.connector;

import io.sluice.api.Row;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Appends user records (or {@link Row}s) to a column batch. Used by the in-memory sources, where
 * records arrive as objects; file and Kafka sources decode straight into columns instead.
 */
final class RecordEncoder {
  private final @Nullable RecordSchema record;
  private final Method[] accessors;

  RecordEncoder(@Nullable RecordSchema record) {
    this.record = record;
    int n = record == null ? 0 : record.schema().size();
    this.accessors = new Method[n];
    for (int i = 0; i < n; i++) {
      accessors[i] = record.accessorMethod(i);
      accessors[i].setAccessible(true);
    }
  }

  void append(Object value, ColumnBatch out) {
    if (record == null) {
      out.appendRow(((Row) value).values());
      return;
    }
    Object[] values = new Object[accessors.length];
    try {
      for (int i = 0; i < accessors.length; i++) {
        Object v = accessors[i].invoke(value);
        values[i] = v instanceof Instant t ? (Object) t.toEpochMilli() : v;
      }
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + record.type().getName(), e);
    }
    out.appendRow(values);
  }
}
