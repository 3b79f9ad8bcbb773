package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.expression.Expr.BinaryOp;
import java.util.List;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Derives, as Spark does, when each side's stored rows of a stream-stream join can go: if a join
 * key is an event-time column, by key; else from the conjuncts of the condition that bound the
 * side's event time from below by the other side's ({@code l.time > r.time - interval 5 minutes}
 * lets a left row go once the watermark minus 5 minutes passes it); else never.
 */
final class JoinStateWatermarks {
  private JoinStateWatermarks() {}

  /**
   * The key part both sides' rows go by, as Spark picks it: the first of the left's key parts
   * that is an event-time column or a window over one ({@code leftMarked}), else the first such
   * of the right's; -1 for none.
   */
  static int eventTimeKey(List<Bound> leftKeys, IntPredicate leftMarked, List<Bound> rightKeys,
      IntPredicate rightMarked) {
    int left = firstMarked(leftKeys, leftMarked);
    return left >= 0 ? left : firstMarked(rightKeys, rightMarked);
  }

  private static int firstMarked(List<Bound> keys, IntPredicate marked) {
    for (int k = 0; k < keys.size(); k++) {
      if (keys.get(k) instanceof Bound.Column c && marked.test(c.ordinal())) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The eviction of side S: by the key part {@code eventTimeKey} if there is one; else by S's
   * event time {@code time}, bounded below by the other side's {@code otherTime} (or -1), both
   * ordinals of the condition's columns; {@code residual} is the rest of the condition over both
   * sides' columns.
   */
  static StateEviction of(List<Bound> keys, int eventTimeKey, int time, int otherTime,
      @Nullable Bound residual) {
    if (eventTimeKey >= 0) {
      return StateEviction.byKey(eventTimeKey,
          keys.get(eventTimeKey).type() == DataType.WINDOW);
    }
    if (time < 0 || otherTime < 0 || residual == null) {
      return StateEviction.NEVER;
    }
    Long best = null;
    for (Bound c : JoinCondition.conjuncts(residual)) {
      Long offset = lowerBound(c, column -> column == time, otherTime);
      if (offset != null && (best == null || offset < best)) {
        best = offset;
      }
    }
    return best == null ? StateEviction.NEVER : StateEviction.byValue(best);
  }

  /**
   * Spark's check for an outer or semi join that keeps side S's rows until they can match no
   * more: a join key is an event-time column, or the condition bounds one of S's columns (from
   * {@code sideFrom} to {@code sideTo}) from below by the other side's event time.
   */
  static boolean bounded(boolean keyIsEventTime, int sideFrom, int sideTo, int otherTime,
      @Nullable Bound residual) {
    if (keyIsEventTime) {
      return true;
    }
    if (otherTime < 0 || residual == null) {
      return false;
    }
    for (Bound c : JoinCondition.conjuncts(residual)) {
      if (lowerBound(c, column -> column >= sideFrom && column < sideTo, otherTime) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * For a conjunct {@code other + c < time} (or {@code <=}, or the same turned around), the
   * offset from the watermark at or below which a row of the side can no longer match: {@code c},
   * less 1 ms for an inclusive bound; null for any other conjunct.
   */
  private static @Nullable Long lowerBound(Bound conjunct, IntPredicate side, int otherTime) {
    if (!(conjunct instanceof Bound.Binary b)) {
      return null;
    }
    Bound low;
    Bound high;
    boolean inclusive;
    switch (b.op()) {
      case LT, LE -> {
        low = b.left();
        high = b.right();
      }
      case GT, GE -> {
        low = b.right();
        high = b.left();
      }
      default -> {
        return null;
      }
    }
    inclusive = b.op() == BinaryOp.LE || b.op() == BinaryOp.GE;
    Term lowTerm = term(low);
    Term highTerm = term(high);
    if (lowTerm == null || highTerm == null || lowTerm.column != otherTime
        || !side.test(highTerm.column)) {
      return null;
    }
    // other + cl < time + ch  means  time > other + (cl - ch).
    long offset = lowTerm.constant - highTerm.constant;
    return inclusive ? offset - 1 : offset;
  }

  /** A column plus a constant interval in ms. */
  private record Term(int column, long constant) {}

  private static @Nullable Term term(Bound e) {
    if (e instanceof Bound.Column c && c.type() == DataType.TIMESTAMP) {
      return new Term(c.ordinal(), 0);
    }
    if (e instanceof Bound.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT)
        && b.right() instanceof Bound.Literal l && l.type() == DataType.INTERVAL
        && l.value() instanceof Number n) {
      Term inner = term(b.left());
      if (inner == null) {
        return null;
      }
      long ms = n.longValue();
      return new Term(inner.column, inner.constant + (b.op() == BinaryOp.ADD ? ms : -ms));
    }
    return null;
  }
}
