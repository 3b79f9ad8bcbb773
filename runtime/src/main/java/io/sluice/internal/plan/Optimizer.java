package io.sluice.internal.plan;

import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the stateless operators of a stage the way Spark's optimizer does, so that the same
 * query behaves the same: a filter above a projection moves below it (rows it drops are never
 * projected, so {@code selectExpr("a", "1 / a AS inv").filter("a != 0")} never divides by zero),
 * and adjacent projections merge (a column nobody reads is never computed).
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
      } else {
        node = op;
      }
      linked.add(node);
      child = node;
    }
    return linked;
  }
}
