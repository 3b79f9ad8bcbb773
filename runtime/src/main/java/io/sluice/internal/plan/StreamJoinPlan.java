package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.Bound;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A planned stream-stream join: both inputs' rows arrive through one union whose rows are {@code
 * side} (0 left, 1 right), the join key's columns, the left's columns and the right's (null on
 * the other side's rows). Each side's rows are kept in state by key until the watermark shows
 * that no row of the other side can match them any more ({@link StateEviction}).
 *
 * @param inputSchema the union's columns
 * @param keyTypes the key columns' types, from column 1 on
 * @param leftKeyNames each key part as the left side names it, for the state reader
 * @param rightKeyNames each key part as the right side names it
 * @param condition what the join condition says beyond the key, over the left's columns then
 *     the right's; null for nothing
 * @param leftTime the union column of the left's event time (a timestamp, or a window whose end
 *     counts), or -1
 * @param rightTime the union column of the right's event time, or -1
 */
public record StreamJoinPlan(Schema inputSchema, Schema outputSchema, JoinType joinType,
    List<DataType> keyTypes, List<String> leftKeyNames, List<String> rightKeyNames,
    Schema leftSchema, Schema rightSchema, int leftTime, int rightTime,
    StateEviction leftEviction, StateEviction rightEviction, @Nullable Bound condition)
    implements RowOperatorPlan {

  /** The number of the left's columns, which follow the keys. */
  public int leftWidth() {
    return leftSchema.size();
  }

  /** The union column where the left's columns start. */
  public int leftStart() {
    return 1 + keyTypes.size();
  }

  /** The union column where the right's columns start. */
  public int rightStart() {
    return leftStart() + leftWidth();
  }

  /**
   * The conjuncts of the condition over the left's columns alone, or null: a left row that
   * fails them can meet no right row (Spark's {@code leftSideOnly}).
   */
  public @Nullable Bound leftSideOnly() {
    return condition == null ? null : JoinCondition.oneSide(condition, 0, leftWidth());
  }

  /** The conjuncts of the condition over the right's columns alone, or null. */
  public @Nullable Bound rightSideOnly() {
    return condition == null ? null
        : JoinCondition.oneSide(condition, leftWidth(), leftWidth() + rightSchema.size());
  }

  @Override
  public String inputStageLabel() {
    return "stream-stream join input";
  }

  /**
   * How far the join's output watermark lags the input's, as Spark computes it: the least of 0
   * and each side's state watermark offset (a side evicted by key counts as 0, one never evicted
   * not at all).
   */
  public long outputWatermarkOffset() {
    long offset = 0;
    for (StateEviction e : List.of(leftEviction, rightEviction)) {
      if (e.kind() == StateEviction.Kind.VALUE) {
        offset = Math.min(offset, e.offsetMs());
      }
    }
    return offset;
  }

  /**
   * The joined rows' event-time columns: each side's, where it has one that is not a window
   * (operators after the join read event times as timestamps).
   */
  public java.util.Set<Integer> outputEventTimeColumns() {
    java.util.Set<Integer> columns = new java.util.HashSet<>();
    if (leftTime >= 0 && inputSchema.field(leftTime).type() != DataType.WINDOW) {
      columns.add(leftTime - leftStart());
    }
    if (rightTime >= 0 && inputSchema.field(rightTime).type() != DataType.WINDOW
        && joinType != JoinType.LEFT_SEMI && joinType != JoinType.LEFT_ANTI) {
      columns.add(leftWidth() + rightTime - rightStart());
    }
    return columns;
  }
}
