package io.sluice.internal.batch;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** A column of {@code double} values. */
public final class DoubleVector extends ColumnVector {
  public double[] values;

  public DoubleVector(int capacity) {
    super(capacity);
    this.values = new double[Math.max(capacity, 16)];
  }

  public void append(double value) {
    int at = reserve();
    values[at] = value;
  }

  public double get(int row) {
    return values[row];
  }

  @Override
  public @Nullable Object getBoxed(int row) {
    return nulls[row] ? null : (Double) values[row];
  }

  @Override
  public void appendBoxed(@Nullable Object value) {
    if (value == null) {
      appendNull();
    } else {
      append(((Number) value).doubleValue());
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
