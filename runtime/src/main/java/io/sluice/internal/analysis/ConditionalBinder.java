package io.sluice.internal.analysis;

import static io.sluice.api.DataType.BOOLEAN;
import static io.sluice.api.DataType.INT;
import static io.sluice.api.DataType.STRING;
import static io.sluice.internal.analysis.TypeCoercion.coerce;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.internal.expression.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Types CASE, CAST, IN and LIKE. */
final class ConditionalBinder {
  private final Binder binder;
  private final Diagnostics diagnostics;

  ConditionalBinder(Binder binder) {
    this.binder = binder;
    this.diagnostics = binder.diagnostics();
  }

  Bound bind(Expr e) {
    if (e instanceof Expr.Case c) {
      return caseWhen(c);
    } else if (e instanceof Expr.Cast c) {
      return cast(c);
    } else if (e instanceof Expr.In i) {
      return in(i);
    }
    return like((Expr.Like) e);
  }

  private Bound caseWhen(Expr.Case c) {
    List<Bound> conditions = new ArrayList<>();
    for (Expr condition : c.conditions()) {
      conditions.add(condition(condition, "CASE WHEN condition"));
    }
    List<Expr> branches = new ArrayList<>(c.values());
    if (c.otherwise() != null) {
      branches.add(c.otherwise());
    }
    List<Bound> bound = binder.bindAll(branches);
    DataType type = binder.unify("CASE branches", branches, bound);
    List<Bound> values = coerceAll(bound, type);
    @Nullable Bound otherwise = c.otherwise() == null ? null : values.remove(values.size() - 1);
    boolean nullable = otherwise == null || bound.stream().anyMatch(Bound::nullable);
    return new Bound.Case(List.copyOf(conditions), List.copyOf(values), otherwise, type, nullable);
  }

  /** A BOOLEAN (or NULL) operand; {@code what} names it in the error. */
  Bound condition(Expr e, String what) {
    Bound b = binder.bind(e);
    if (!TypeCoercion.canWiden(b.type(), BOOLEAN)) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, what + " must be BOOLEAN, but "
          + diagnostics.quoted(e) + " is " + b.type(), e);
    }
    return coerce(b, BOOLEAN);
  }

  private Bound cast(Expr.Cast c) {
    Bound operand = binder.bind(c.operand());
    if (!TypeCoercion.canCast(operand.type(), c.target())) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "cannot cast "
          + diagnostics.typed(c.operand(), operand) + " to " + c.target() + castHint(operand,
          c.target()), c);
    }
    boolean keep = operand.type() == c.target() || operand.type() == DataType.NULL;
    return keep ? coerce(operand, c.target())
        : new Bound.Cast(operand, c.target(), operand.nullable());
  }

  /** What BINARY casts to and from, which is less than the other types allow. */
  private static String castHint(Bound operand, DataType target) {
    if (target == DataType.BINARY) {
      return "; only STRING, INT and BIGINT cast to BINARY, as in Spark";
    }
    return operand.type() == DataType.BINARY ? "; BINARY casts only to STRING, as in Spark" : "";
  }

  /** The value and the items share one type; string items next to a TIMESTAMP are parsed. */
  private Bound in(Expr.In in) {
    Bound value = binder.bind(in.value());
    List<Expr> exprs = new ArrayList<>(List.of(in.value()));
    List<Bound> all = new ArrayList<>(List.of(value));
    for (Expr item : in.list()) {
      exprs.add(item);
      all.add(binder.timestampFromString(binder.bind(item), item, value, in.value()));
    }
    DataType type = TypeCoercion.concrete(binder.unify("IN", exprs, all), INT);
    List<Bound> items = coerceAll(all, type);
    Bound coercedValue = items.remove(0);
    boolean nullable = all.stream().anyMatch(Bound::nullable);
    return new Bound.In(coercedValue, List.copyOf(items), in.negated(), nullable);
  }

  /** The pattern must be known now: the code generator compiles it once per query. */
  private Bound like(Expr.Like like) {
    Bound value = binder.bind(like.value());
    if (!TypeCoercion.canWiden(value.type(), STRING)) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "LIKE needs a STRING value, but "
          + diagnostics.typed(like.value(), value) + " is not; write CAST("
          + diagnostics.text(like.value()) + " AS STRING)", like.value());
    }
    String pattern = literalString(like.pattern());
    if (pattern == null) {
      throw diagnostics.error(ErrorKind.UNSUPPORTED_OPERATION,
          "LIKE pattern must be a string literal, but found " + diagnostics.quoted(like.pattern()),
          like.pattern());
    }
    return new Bound.Like(coerce(value, STRING), pattern, like.negated(), value.nullable());
  }

  private static @Nullable String literalString(Expr e) {
    boolean isString = e instanceof Expr.Literal l && l.type() == STRING && l.value() != null;
    return isString ? (String) ((Expr.Literal) e).value() : null;
  }

  private static List<Bound> coerceAll(List<Bound> bounds, DataType type) {
    return bounds.stream().map(b -> coerce(b, type)).collect(Collectors.toList());
  }
}
