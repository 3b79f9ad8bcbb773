package io.sluice.internal.batch;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** A column of {@code long} values. */
public final class LongVector extends ColumnVector {
  public long[] values;

  public LongVector(int capacity) {
    super(capacity);
    this.values = new long[Math.max(capacity, 16)];
  }

  public void append(long value) {
    int at = reserve();
    values[at] = value;
  }

  public long get(int row) {
    return values[row];
  }

  @Override
  public @Nullable Object getBoxed(int row) {
    return nulls[row] ? null : (Long) values[row];
  }

  @Override
  public void appendBoxed(@Nullable Object value) {
    if (value == null) {
      appendNull();
    } else {
      append(((Number) value).longValue());
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
