package io.sluice.internal.batch;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** A column of object values (strings); a null value is also flagged in {@link #nulls}. */
public final class ObjectVector extends ColumnVector {
  public @Nullable Object[] values;

  public ObjectVector(int capacity) {
    super(capacity);
    this.values = new Object[Math.max(capacity, 16)];
  }

  public void append(@Nullable Object value) {
    int at = reserve();
    values[at] = value;
    nulls[at] = value == null;
  }

  public @Nullable Object get(int row) {
    return values[row];
  }

  @Override
  public @Nullable Object getBoxed(int row) {
    return values[row];
  }

  @Override
  public void appendBoxed(@Nullable Object value) {
    append(value);
  }

  @Override
  public void clear() {
    Arrays.fill(values, 0, size, null);
    super.clear();
  }

  @Override
  protected Object values() {
    return values;
  }

  @Override
  protected void grow(int capacity) {
    super.grow(capacity);
    values = Arrays.copyOf(values, capacity);
  }
}
