package io.sluice.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of an untyped result, as read from a sink or collected from a bounded query.
 *
 * <p>Rows are for results and tests; the engine itself never builds a {@code Row} per record.
 * Values are {@code Long}, {@code Integer}, {@code Double}, {@code Boolean}, {@code String},
 * {@code byte[]} for BINARY, or {@code Long} epoch milliseconds for timestamps. Rows are equal when
 * their values are, byte arrays by content.
 */
public final class Row {
  private final Schema schema;
  private final @Nullable Object[] values;

  public Row(Schema schema, @Nullable Object[] values) {
    if (values.length != schema.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values for " + schema.size() + " columns " + schema);
    }
    this.schema = schema;
    this.values = values.clone();
  }

  /** A row with the given values, for writing expected results in tests. */
  public static Row of(Schema schema, @Nullable Object... values) {
    return new Row(schema, values);
  }

  public Schema schema() {
    return schema;
  }

  public int size() {
    return values.length;
  }

  public @Nullable Object get(int ordinal) {
    return values[ordinal];
  }

  /** The value of the named column; an unknown name is an error that lists the columns. */
  public @Nullable Object get(String column) {
    return values[ordinal(column)];
  }

  public long getLong(String column) {
    return ((Number) Objects.requireNonNull(get(column), column)).longValue();
  }

  public double getDouble(String column) {
    return ((Number) Objects.requireNonNull(get(column), column)).doubleValue();
  }

  public @Nullable String getString(String column) {
    return (String) get(column);
  }

  /** The values in column order. */
  public @Nullable Object[] values() {
    return values.clone();
  }

  /** Column name to value, in column order. */
  public Map<String, @Nullable Object> toMap() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(schema.field(i).name(), values[i]);
    }
    return map;
  }

  private int ordinal(String column) {
    return schema
        .indexOf(column)
        .orElseThrow(
            () ->
                new SluiceException(
                    ErrorKind.UNKNOWN_COLUMN,
                    "column '" + column + "' not found; available: "
                        + String.join(", ", schema.names())));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && Arrays.deepEquals(r.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  /** {@code [a, 1, null]}, like Spark's {@code Row.toString}; bytes as {@code [97, 98]}. */
  @Override
  public String toString() {
    return Arrays.deepToString(values);
  }
}
