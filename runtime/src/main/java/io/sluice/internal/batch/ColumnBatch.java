package io.sluice.internal.batch;

import io.sluice.api.Schema;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chunk of rows stored column by column: what sources produce and generated stages consume and
 * emit.
 */
public final class ColumnBatch {
  /** How many rows a source puts in one chunk before handing it on. */
  public static final int DEFAULT_CHUNK_ROWS = 8192;

  private final Schema schema;
  private final ColumnVector[] columns;

  public ColumnBatch(Schema schema, int capacity) {
    this.schema = schema;
    this.columns = new ColumnVector[schema.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ColumnVector.forType(schema.field(i).type(), capacity);
    }
  }

  public Schema schema() {
    return schema;
  }

  public ColumnVector column(int ordinal) {
    return columns[ordinal];
  }

  public LongVector longs(int ordinal) {
    return (LongVector) columns[ordinal];
  }

  public IntVector ints(int ordinal) {
    return (IntVector) columns[ordinal];
  }

  public DoubleVector doubles(int ordinal) {
    return (DoubleVector) columns[ordinal];
  }

  public BooleanVector booleans(int ordinal) {
    return (BooleanVector) columns[ordinal];
  }

  public ObjectVector objects(int ordinal) {
    return (ObjectVector) columns[ordinal];
  }

  /** The number of rows; every column has the same size once a row is complete. */
  public int size() {
    return columns.length == 0 ? 0 : columns[0].size;
  }

  /** Appends one row of boxed values; for tests and non-generated connectors. */
  public void appendRow(@Nullable Object... values) {
    for (int i = 0; i < columns.length; i++) {
      columns[i].appendBoxed(values[i]);
    }
  }

  /** Appends every row of {@code other}, a batch of the same schema. */
  public void appendAll(ColumnBatch other) {
    for (int i = 0; i < columns.length; i++) {
      columns[i].appendAll(other.columns[i]);
    }
  }

  /** Row {@code row} as boxed values. */
  public @Nullable Object[] rowValues(int row) {
    Object[] values = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      values[i] = columns[i].getBoxed(row);
    }
    return values;
  }

  /** All rows as boxed values, in order. */
  public List<@Nullable Object[]> rows() {
    List<@Nullable Object[]> rows = new ArrayList<>(size());
    for (int r = 0; r < size(); r++) {
      rows.add(rowValues(r));
    }
    return rows;
  }

  public void clear() {
    for (ColumnVector c : columns) {
      c.clear();
    }
  }
}
