package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import io.sluice.internal.expression.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the stateless operators of a stage the way Spark's optimizer does, so that the same
 * query behaves the same: a filter above a projection or an alias moves below it (rows it drops
 * are never projected, so {@code selectExpr("a", "1 / a AS inv").filter("a != 0")} never divides
 * by zero), and adjacent projections merge (a column nobody reads is never computed).
 *
 * <p>Every expression is deterministic, so moving one never changes a result; user functions
 * ({@code map}, {@code flatMap}) are barriers that nothing moves across.
 */
public final class Optimizer {
  private Optimizer() {}

  /** The operators of a stage, source side first, over the rows of {@code base}. */
  public static List<LogicalPlan> optimize(LogicalPlan base, List<LogicalPlan> operators) {
    List<LogicalPlan> ops = new ArrayList<>(operators);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i + 1 < ops.size() && !changed; i++) {
        if (ops.get(i) instanceof LogicalPlan.Project lower) {
          changed = rewrite(ops, i, lower);
        } else if (ops.get(i) instanceof LogicalPlan.Watermark w
            && ops.get(i + 1) instanceof LogicalPlan.Filter f) {
          changed = pushBelowWatermark(ops, i, w, f);
        } else if (ops.get(i) instanceof LogicalPlan.Alias a
            && ops.get(i + 1) instanceof LogicalPlan.Filter f) {
          // An alias only qualifies the names, and Spark's optimizer drops it: a filter moves
          // below it, and so on below the watermark.
          ops.set(i, f);
          ops.set(i + 1, a);
          changed = true;
        }
      }
    }
    return relink(base, ops);
  }

  private static boolean rewrite(List<LogicalPlan> ops, int i, LogicalPlan.Project lower) {
    LogicalPlan upper = ops.get(i + 1);
    if (upper instanceof LogicalPlan.Filter f) {
      ops.set(i, new LogicalPlan.Filter(lower.child(), inline(f.condition(), lower)));
      ops.set(i + 1, lower);
      return true;
    }
    if (upper instanceof LogicalPlan.Project p) {
      List<NamedExpression> merged = new ArrayList<>();
      for (NamedExpression column : p.columns()) {
        merged.add(new NamedExpression(column.name(), inline(column.expression(), lower)));
      }
      ops.set(i, new LogicalPlan.Project(lower.child(), merged));
      ops.remove(i + 1);
      return true;
    }
    return false;
  }

  /**
   * Moves the parts of a filter that do not read the event-time column below the watermark, as
   * Spark does: the rows they drop then never move the watermark.
   */
  private static boolean pushBelowWatermark(List<LogicalPlan> ops, int i,
      LogicalPlan.Watermark w, LogicalPlan.Filter f) {
    List<Bound> below = new ArrayList<>();
    List<Bound> above = new ArrayList<>();
    for (Bound conjunct : conjuncts(f.condition())) {
      (reads(conjunct, w.column()) ? above : below).add(conjunct);
    }
    if (below.isEmpty()) {
      return false;
    }
    ops.set(i, new LogicalPlan.Filter(w.child(), and(below)));
    ops.set(i + 1, w);
    if (!above.isEmpty()) {
      ops.add(i + 2, new LogicalPlan.Filter(w, and(above)));
    }
    return true;
  }

  private static List<Bound> conjuncts(Bound condition) {
    if (condition instanceof Bound.Binary b && b.op() == Expr.BinaryOp.AND) {
      List<Bound> all = new ArrayList<>(conjuncts(b.left()));
      all.addAll(conjuncts(b.right()));
      return all;
    }
    return List.of(condition);
  }

  private static Bound and(List<Bound> conjuncts) {
    Bound all = conjuncts.get(0);
    for (Bound next : conjuncts.subList(1, conjuncts.size())) {
      all = new Bound.Binary(Expr.BinaryOp.AND, all, next, DataType.BOOLEAN,
          all.nullable() || next.nullable());
    }
    return all;
  }

  private static boolean reads(Bound e, int column) {
    boolean[] found = {false};
    BoundRewriter.rewrite(e, node -> {
      if (node instanceof Bound.Column c && c.ordinal() == column) {
        found[0] = true;
      }
      return null;
    });
    return found[0];
  }

  /** {@code e} with each column of {@code project}'s output replaced by its expression. */
  static Bound inline(Bound e, LogicalPlan.Project project) {
    return BoundRewriter.rewrite(e, node -> node instanceof Bound.Column c
        ? project.columns().get(c.ordinal()).expression()
        : null);
  }

  /** Rebuilds each operator over the one before it, so that every schema is the rewritten one. */
  private static List<LogicalPlan> relink(LogicalPlan base, List<LogicalPlan> ops) {
    List<LogicalPlan> linked = new ArrayList<>();
    LogicalPlan child = base;
    for (LogicalPlan op : ops) {
      LogicalPlan node;
      if (op instanceof LogicalPlan.Filter f) {
        node = new LogicalPlan.Filter(child, f.condition());
      } else if (op instanceof LogicalPlan.Project p) {
        node = new LogicalPlan.Project(child, p.columns());
      } else if (op instanceof LogicalPlan.MapRecords m) {
        node = new LogicalPlan.MapRecords(child, m.input(), m.output(), m.function(), m.flat());
      } else if (op instanceof LogicalPlan.Watermark w) {
        node = new LogicalPlan.Watermark(child, w.column(), w.delayMillis());
      } else if (op instanceof LogicalPlan.StaticJoin j) {
        node = new LogicalPlan.StaticJoin(child, j.right(), j.joinType(), j.leftKeys(),
            j.rightKeys(), j.residual(), j.side());
      } else if (op instanceof LogicalPlan.Alias a) {
        node = new LogicalPlan.Alias(child, a.alias());
      } else if (op instanceof LogicalPlan.ReloadEvery r) {
        node = new LogicalPlan.ReloadEvery(child, r.interval());
      } else {
        node = op;
      }
      linked.add(node);
      child = node;
    }
    return linked;
  }
}
