package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import io.sluice.internal.expression.Expr.BinaryOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A join condition taken apart as a hash join needs it: the conjuncts {@code left = right} whose
 * sides each read one input are the keys, the other conjuncts the residual, checked on each pair
 * the keys match. The condition reads the left input's columns, then the right's.
 *
 * @param leftKeys over the left input's columns
 * @param rightKeys over the right input's columns (ordinals counted from its first column)
 * @param residual over both inputs' columns, or null when the keys are the whole condition
 */
public record JoinCondition(List<Bound> leftKeys, List<Bound> rightKeys,
    @Nullable Bound residual) {

  /**
   * Splits {@code condition}, whose first {@code leftWidth} columns are the left input's; an
   * equality of windows stays in the residual.
   */
  public static JoinCondition split(Bound condition, int leftWidth) {
    return split(condition, leftWidth, false);
  }

  /** The same, where an equality of windows may be a key part too if {@code windowKeys}. */
  public static JoinCondition split(Bound condition, int leftWidth, boolean windowKeys) {
    List<Bound> conjuncts = conjuncts(condition);
    List<Bound> leftKeys = new ArrayList<>();
    List<Bound> rightKeys = new ArrayList<>();
    Bound residual = null;
    for (Bound c : conjuncts) {
      if (c instanceof Bound.Binary b && b.op() == BinaryOp.EQ
          && keyType(b.left().type(), windowKeys)) {
        Set<Integer> l = columns(b.left());
        Set<Integer> r = columns(b.right());
        if (!l.isEmpty() && !r.isEmpty() && sideOf(l, leftWidth) != sideOf(r, leftWidth)
            && sideOf(l, leftWidth) != 0 && sideOf(r, leftWidth) != 0) {
          boolean leftFirst = sideOf(l, leftWidth) < 0;
          leftKeys.add(leftFirst ? b.left() : b.right());
          rightKeys.add(shift(leftFirst ? b.right() : b.left(), leftWidth));
          continue;
        }
      }
      residual = and(residual, c);
    }
    return new JoinCondition(leftKeys, rightKeys, residual);
  }

  /**
   * The conjuncts of {@code condition} that read no column outside {@code from} to {@code to}
   * (exclusive), a constant one included, as Spark's split of a stream-stream join's condition
   * finds those it checks on one side's rows alone; null when there are none.
   */
  static @Nullable Bound oneSide(Bound condition, int from, int to) {
    Bound found = null;
    for (Bound c : conjuncts(condition)) {
      if (columns(c).stream().allMatch(column -> column >= from && column < to)) {
        found = and(found, c);
      }
    }
    return found;
  }

  /** {@code a AND b}, or {@code b} alone when {@code a} is null. */
  static Bound and(@Nullable Bound a, Bound b) {
    return a == null ? b
        : new Bound.Binary(BinaryOp.AND, a, b, DataType.BOOLEAN, a.nullable() || b.nullable());
  }

  /** Refuses a condition with no key: a hash join needs at least one equality. */
  public JoinCondition requireKeys(String what) {
    if (leftKeys.isEmpty()) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, what + " needs at least one"
          + " equality between a column of each side, such as l.key = r.key, to look rows up"
          + " by");
    }
    return this;
  }

  private static boolean keyType(DataType type, boolean windowKeys) {
    return (windowKeys || type != DataType.WINDOW) && type != DataType.NULL;
  }

  /** The conjuncts of {@code e}: its operands if it is an AND, recursively, else itself. */
  static List<Bound> conjuncts(Bound e) {
    List<Bound> out = new ArrayList<>();
    conjuncts(e, out);
    return out;
  }

  private static void conjuncts(Bound e, List<Bound> out) {
    if (e instanceof Bound.Binary b && b.op() == BinaryOp.AND) {
      conjuncts(b.left(), out);
      conjuncts(b.right(), out);
    } else {
      out.add(e);
    }
  }

  /** -1 when every column is the left input's, 1 when every one is the right's, 0 when mixed. */
  private static int sideOf(Set<Integer> columns, int leftWidth) {
    boolean left = columns.stream().allMatch(c -> c < leftWidth);
    boolean right = columns.stream().allMatch(c -> c >= leftWidth);
    return left ? -1 : right ? 1 : 0;
  }

  static Set<Integer> columns(Bound e) {
    Set<Integer> found = new HashSet<>();
    BoundRewriter.rewrite(e, node -> {
      if (node instanceof Bound.Column c) {
        found.add(c.ordinal());
      }
      return null;
    });
    return found;
  }

  private static Bound shift(Bound e, int by) {
    return BoundRewriter.rewrite(e, node -> node instanceof Bound.Column c
        ? new Bound.Column(c.ordinal() - by, c.name(), c.type(), c.nullable()) : null);
  }
}
