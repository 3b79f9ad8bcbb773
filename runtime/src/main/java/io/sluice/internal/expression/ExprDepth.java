package io.sluice.internal.expression;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures how deeply an expression tree nests, without recursion, so that text like a chain of
 * ten thousand additions is refused before any recursive stage (analysis, code generation)
 * overflows the stack on it.
 */
final class ExprDepth {
  private ExprDepth() {}

  /** The number of nodes on the longest path from the root down to a leaf. */
  static int of(Expr root) {
    record Visit(Expr expr, int depth) {}
    Deque<Visit> pending = new ArrayDeque<>();
    pending.push(new Visit(root, 1));
    int max = 0;
    while (!pending.isEmpty()) {
      Visit v = pending.pop();
      max = Math.max(max, v.depth());
      for (Expr child : children(v.expr())) {
        pending.push(new Visit(child, v.depth() + 1));
      }
    }
    return max;
  }

  private static List<Expr> children(Expr e) {
    if (e instanceof Expr.Unary u) {
      return List.of(u.operand());
    } else if (e instanceof Expr.Binary b) {
      return List.of(b.left(), b.right());
    } else if (e instanceof Expr.Call c) {
      return c.args();
    } else if (e instanceof Expr.Case c) {
      return caseChildren(c);
    } else if (e instanceof Expr.Cast c) {
      return List.of(c.operand());
    } else if (e instanceof Expr.In i) {
      return concat(List.of(i.value()), i.list());
    } else if (e instanceof Expr.IsNull n) {
      return List.of(n.operand());
    } else if (e instanceof Expr.Like l) {
      return List.of(l.value(), l.pattern());
    } else if (e instanceof Expr.Alias a) {
      return List.of(a.operand());
    }
    return List.of();
  }

  private static List<Expr> caseChildren(Expr.Case c) {
    List<Expr> all = concat(c.conditions(), c.values());
    return c.otherwise() == null ? all : concat(all, List.of(c.otherwise()));
  }

  private static List<Expr> concat(List<Expr> a, List<Expr> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
