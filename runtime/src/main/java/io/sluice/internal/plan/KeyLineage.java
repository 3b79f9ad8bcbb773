package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.internal.analysis.Bound;

/**
 * Whether a column carries, on every row, the key column of a shared input ({@link InputShare})
 * unchanged: the column itself or a cast between binary and text, through projections, filters,
 * watermarks, aliases, unions, joins and deduplication.
 *
 * <p>Only those casts count, because only a value one-to-one with the key keeps rows with equal
 * values in one instance: {@code length(key)} or {@code CAST(CAST(key AS STRING) AS INT)} give
 * {@code "007"} and {@code "7"} one value from keys in different partitions. (Text that is not
 * UTF-8 is read with replacement characters, so two such keys can meet; keys are text in
 * practice.)
 */
final class KeyLineage {
  private KeyLineage() {}

  /** Whether column {@code column} of {@code plan}'s rows is a shared input's key. */
  static boolean isKey(LogicalPlan plan, int column) {
    if (plan instanceof LogicalPlan.Scan scan) {
      InputShare share = scan.source().share();
      return share != null && scan.schema().field(column).name().equals(share.keyColumn());
    }
    if (plan instanceof LogicalPlan.Project p) {
      return isKey(p.child(), p.columns().get(column).expression());
    }
    if (plan instanceof LogicalPlan.Union u) {
      return u.inputs().stream().allMatch(input -> isKey(input, column));
    }
    if (plan instanceof LogicalPlan.StreamJoin j) {
      return isJoinedKey(j, column);
    }
    if (plan instanceof LogicalPlan.StaticJoin j) {
      return column < j.child().schema().size() && isKey(j.child(), column);
    }
    return passesRowsThrough(plan) && isKey(plan.children().get(0), column);
  }

  /** Whether {@code expression}, over {@code input}'s rows, is a shared input's key. */
  static boolean isKey(LogicalPlan input, Bound expression) {
    if (expression instanceof Bound.Column c) {
      return isKey(input, c.ordinal());
    }
    return expression instanceof Bound.Cast c && isBytesOrText(c.type())
        && isBytesOrText(c.operand().type()) && isKey(input, c.operand());
  }

  /** A joined column is the key if the side it comes from had it as the key. */
  private static boolean isJoinedKey(LogicalPlan.StreamJoin join, int column) {
    StreamJoinPlan plan = join.plan();
    LogicalPlan sides = join.child();
    return column < plan.leftWidth()
        ? isKey(sides.children().get(0), plan.leftStart() + column)
        : isKey(sides.children().get(1), plan.rightStart() + column - plan.leftWidth());
  }

  /** Operators whose rows are (some of) their input's, column for column. */
  private static boolean passesRowsThrough(LogicalPlan plan) {
    return plan instanceof LogicalPlan.Filter || plan instanceof LogicalPlan.Watermark
        || plan instanceof LogicalPlan.Alias || plan instanceof LogicalPlan.ReloadEvery
        || plan instanceof LogicalPlan.Deduplicate;
  }

  private static boolean isBytesOrText(DataType type) {
    return type == DataType.BINARY || type == DataType.STRING;
  }
}
