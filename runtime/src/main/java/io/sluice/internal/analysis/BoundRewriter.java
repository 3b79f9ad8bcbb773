package io.sluice.internal.analysis;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites a bound expression top-down: where {@code rule} returns a replacement the subtree is
 * replaced, elsewhere the rewrite descends into the children.
 */
public final class BoundRewriter {
  private final Function<Bound, @Nullable Bound> rule;

  private BoundRewriter(Function<Bound, @Nullable Bound> rule) {
    this.rule = rule;
  }

  public static Bound rewrite(Bound e, Function<Bound, @Nullable Bound> rule) {
    return new BoundRewriter(rule).apply(e);
  }

  private Bound apply(Bound e) {
    Bound replaced = rule.apply(e);
    if (replaced != null) {
      return replaced;
    }
    if (e instanceof Bound.Unary u) {
      return new Bound.Unary(u.op(), apply(u.operand()), u.type(), u.nullable());
    } else if (e instanceof Bound.Binary b) {
      return new Bound.Binary(b.op(), apply(b.left()), apply(b.right()), b.type(), b.nullable());
    } else if (e instanceof Bound.Cast c) {
      return new Bound.Cast(apply(c.operand()), c.type(), c.nullable());
    } else if (e instanceof Bound.Call c) {
      return new Bound.Call(c.function(), all(c.args()), c.nullable());
    } else if (e instanceof Bound.Case c) {
      Bound otherwise = c.otherwise() == null ? null : apply(c.otherwise());
      return new Bound.Case(all(c.conditions()), all(c.values()), otherwise, c.type(),
          c.nullable());
    } else if (e instanceof Bound.In in) {
      return new Bound.In(apply(in.value()), all(in.list()), in.negated(), in.nullable());
    } else if (e instanceof Bound.IsNull n) {
      return new Bound.IsNull(apply(n.operand()), n.negated());
    } else if (e instanceof Bound.Like l) {
      return new Bound.Like(apply(l.value()), l.pattern(), l.negated(), l.nullable());
    } else if (e instanceof Bound.TimeWindow w) {
      return new Bound.TimeWindow(apply(w.time()), w.size(), w.slide(), w.offset());
    } else if (e instanceof Bound.SessionWindow w) {
      return new Bound.SessionWindow(apply(w.time()), apply(w.gap()));
    } else if (e instanceof Bound.WindowField f) {
      return new Bound.WindowField(apply(f.window()), f.end());
    } else if (e instanceof Bound.Aggregate a && a.argument() != null) {
      return new Bound.Aggregate(a.function(), apply(a.argument()), a.type(), a.nullable());
    }
    return e;
  }

  private List<Bound> all(List<Bound> list) {
    return list.stream().map(this::apply).toList();
  }
}
