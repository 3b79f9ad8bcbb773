package io.sluice.internal.analysis;

/** The aggregate functions, with Spark's names and result types. */
public enum AggregateFunction {
  /** {@code count(*)} or {@code count(x)}: rows, or non-null values; LONG, never null. */
  COUNT("count"),
  /** {@code count(DISTINCT x)}: distinct non-null values; LONG, never null. */
  COUNT_DISTINCT("count"),
  /** {@code sum(x)}: LONG for integral input, DOUBLE for DOUBLE; null when no non-null input. */
  SUM("sum"),
  /** {@code min(x)}: the input type; null when no non-null input. */
  MIN("min"),
  /** {@code max(x)}: the input type; null when no non-null input. */
  MAX("max"),
  /** {@code avg(x)}: DOUBLE; null when no non-null input. */
  AVG("avg");

  private final String sqlName;

  AggregateFunction(String sqlName) {
    this.sqlName = sqlName;
  }

  public String sqlName() {
    return sqlName;
  }
}
