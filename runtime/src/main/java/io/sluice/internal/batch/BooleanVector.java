package io.sluice.internal.batch;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** A column of {@code boolean} values. */
public final class BooleanVector extends ColumnVector {
  public boolean[] values;

  public BooleanVector(int capacity) {
    super(capacity);
    this.values = new boolean[Math.max(capacity, 16)];
  }

  public void append(boolean value) {
    int at = reserve();
    values[at] = value;
  }

  public boolean get(int row) {
    return values[row];
  }

  @Override
  public @Nullable Object getBoxed(int row) {
    return nulls[row] ? null : (Boolean) values[row];
  }

  @Override
  public void appendBoxed(@Nullable Object value) {
    if (value == null) {
      appendNull();
    } else {
      append((Boolean) value);
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
