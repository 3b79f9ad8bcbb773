package io.sluice.api;

import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.NamedExpression;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset grouped by key columns, waiting for its aggregates: {@code groupBy("page").agg(...)}.
 * The result has the key columns first, then one column per aggregate.
 */
public final class GroupedDataset {
  private final Dataset<?> input;
  private final List<NamedExpression> keys;

  GroupedDataset(Dataset<?> input, List<NamedExpression> keys) {
    this.input = input;
    this.keys = keys;
  }

  /**
   * Computes aggregates per group. Each column is an aggregate function ({@code count}, {@code
   * sum}, {@code min}, {@code max}, {@code avg}, {@code count(DISTINCT x)}) or an expression over
   * aggregates and key columns, e.g. {@code expr("sum(price) / count(*) AS mean_price")}.
   */
  public Dataset<Row> agg(Column first, Column... rest) {
    List<NamedExpression> outputs = new ArrayList<>(keys);
    outputs.add(input.named(first, true));
    for (Column c : rest) {
      outputs.add(input.named(c, true));
    }
    return Dataset.untyped(input.engine(), new LogicalPlan.Aggregate(input.plan(), keys, outputs));
  }

  /** Aggregates given as expression strings: {@code agg("count(*) AS n", "max(ts)")}. */
  public Dataset<Row> agg(String first, String... rest) {
    Column[] more = new Column[rest.length];
    for (int i = 0; i < rest.length; i++) {
      more[i] = Functions.expr(rest[i]);
    }
    return agg(Functions.expr(first), more);
  }

  /** The number of rows per group, in a column named {@code count} as in Spark. */
  public Dataset<Row> count() {
    return agg(Functions.count("*").as("count"));
  }

  public Dataset<Row> sum(String... columns) {
    return each("sum", columns);
  }

  public Dataset<Row> avg(String... columns) {
    return each("avg", columns);
  }

  public Dataset<Row> min(String... columns) {
    return each("min", columns);
  }

  public Dataset<Row> max(String... columns) {
    return each("max", columns);
  }

  private Dataset<Row> each(String function, String... columns) {
    if (columns.length == 0) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, function + " needs at least one column");
    }
    Column[] aggregates = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      aggregates[i] = Functions.expr(function + "(`" + columns[i].replace("`", "``") + "`)");
    }
    Column[] rest = new Column[aggregates.length - 1];
    System.arraycopy(aggregates, 1, rest, 0, rest.length);
    return agg(aggregates[0], rest);
  }
}
