package io.sluice.internal.batch;

import io.sluice.api.DataType;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One column of a {@link ColumnBatch}: a growable array of values plus null flags.
 *
 * <p>Generated code reads and writes the typed subclasses' public arrays directly, so that a row
 * costs an array access, not a virtual call.
 */
public abstract class ColumnVector {
  /** Null flags; only meaningful for the first {@link #size} rows. */
  public boolean[] nulls;

  public int size;

  protected ColumnVector(int capacity) {
    this.nulls = new boolean[Math.max(capacity, 16)];
  }

  /** A vector of the Java representation of {@code type}. */
  public static ColumnVector forType(DataType type, int capacity) {
    switch (type) {
      case BOOLEAN:
        return new BooleanVector(capacity);
      case INT:
        return new IntVector(capacity);
      case LONG:
      case TIMESTAMP:
      case INTERVAL:
        return new LongVector(capacity);
      case DOUBLE:
        return new DoubleVector(capacity);
      default:
        return new ObjectVector(capacity);
    }
  }

  public final boolean isNull(int row) {
    return nulls[row];
  }

  /** Appends a null; the value slot keeps its default. */
  public final void appendNull() {
    int at = reserve();
    nulls[at] = true;
  }

  /** The value at {@code row}, boxed, or null: for sinks and tests, never for generated loops. */
  public abstract @Nullable Object getBoxed(int row);

  /** Appends a boxed value converted to this vector's representation; for non-generated paths. */
  public abstract void appendBoxed(@Nullable Object value);

  /** Makes room for one more row and returns its index. */
  protected final int reserve() {
    if (size == nulls.length) {
      grow(size * 2);
    }
    nulls[size] = false;
    return size++;
  }

  /**
   * Makes room for {@code rows} more non-null rows and returns the index of the first: a writer
   * of many rows then fills the values array itself, without a check per row.
   */
  public final int reserveRows(int rows) {
    int at = size;
    if (at + rows > nulls.length) {
      grow(Math.max(nulls.length * 2, at + rows));
    }
    Arrays.fill(nulls, at, at + rows, false);
    size = at + rows;
    return at;
  }

  /** Appends every row of {@code other}, a vector of the same class. */
  public final void appendAll(ColumnVector other) {
    int rows = other.size;
    int at = reserveRows(rows);
    System.arraycopy(other.nulls, 0, nulls, at, rows);
    System.arraycopy(other.values(), 0, values(), at, rows);
  }

  /** The array of values, of this vector's element type. */
  protected abstract Object values();

  protected void grow(int capacity) {
    nulls = Arrays.copyOf(nulls, capacity);
  }

  /** Forgets all rows, keeping the arrays for reuse. */
  public void clear() {
    size = 0;
  }
}
