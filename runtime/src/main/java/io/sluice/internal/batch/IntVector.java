package io.sluice.internal.batch;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** A column of {@code int} values. */
public final class IntVector extends ColumnVector {
  public int[] values;

  public IntVector(int capacity) {
    super(capacity);
    this.values = new int[Math.max(capacity, 16)];
  }

  public void append(int value) {
    int at = reserve();
    values[at] = value;
  }

  public int get(int row) {
    return values[row];
  }

  @Override
  public @Nullable Object getBoxed(int row) {
    return nulls[row] ? null : (Integer) values[row];
  }

  @Override
  public void appendBoxed(@Nullable Object value) {
    if (value == null) {
      appendNull();
    } else {
      append(((Number) value).intValue());
    }
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
