package io.sluice.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The type of a column, named as in SQL.
 *
 * <p>{@link #TIMESTAMP} values are epoch milliseconds; {@link #INTERVAL} values are durations in
 * milliseconds; {@link #WINDOW} values are {@link TimeWindow}s; {@link #BINARY} values are {@code
 * byte[]}s. {@link #NULL} is the type of the literal {@code NULL} only; no column has it.
 */
public enum DataType {
  BOOLEAN("BOOLEAN"),
  INT("INT"),
  LONG("BIGINT"),
  DOUBLE("DOUBLE"),
  STRING("STRING"),
  /**
   * Bytes, as Spark's {@code BINARY}: a {@code byte[]} in records and rows, compared by content
   * and ordered unsigned byte by byte; {@code CAST(b AS STRING)} decodes UTF-8.
   */
  BINARY("BINARY"),
  TIMESTAMP("TIMESTAMP"),
  INTERVAL("INTERVAL"),
  /** A {@link TimeWindow}, Spark's {@code struct<start: timestamp, end: timestamp>}. */
  WINDOW("STRUCT<start: TIMESTAMP, end: TIMESTAMP>"),
  NULL("VOID");

  private final String sqlName;

  DataType(String sqlName) {
    this.sqlName = sqlName;
  }

  /** The name used in {@code CAST(x AS type)} and in error messages. */
  public String sqlName() {
    return sqlName;
  }

  /** Whether arithmetic applies to values of this type. */
  public boolean isNumeric() {
    return this == INT || this == LONG || this == DOUBLE;
  }

  /** Parses a SQL type name as written in a {@code CAST}; case-insensitive. */
  public static Optional<DataType> fromSqlName(String name) {
    switch (name.toUpperCase(Locale.ROOT)) {
      case "BOOLEAN":
        return Optional.of(BOOLEAN);
      case "INT":
      case "INTEGER":
        return Optional.of(INT);
      case "BIGINT":
      case "LONG":
        return Optional.of(LONG);
      case "DOUBLE":
        return Optional.of(DOUBLE);
      case "STRING":
        return Optional.of(STRING);
      case "BINARY":
        return Optional.of(BINARY);
      case "TIMESTAMP":
        return Optional.of(TIMESTAMP);
      default:
        return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return sqlName;
  }
}
