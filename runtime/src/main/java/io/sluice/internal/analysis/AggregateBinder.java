package io.sluice.internal.analysis;

import static io.sluice.api.DataType.DOUBLE;
import static io.sluice.api.DataType.INT;
import static io.sluice.api.DataType.LONG;
import static io.sluice.api.DataType.NULL;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.internal.expression.Expr;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Types the aggregate functions count, sum, min, max and avg (alias mean), and enforces where
 * they may appear: only where the caller allows aggregates, and never inside one another.
 *
 * <p>The argument keeps its own type (a sum of INTs has an INT argument and a BIGINT result); the
 * aggregation code chooses its accumulator from {@link Bound.Aggregate#type()}.
 */
final class AggregateBinder {
  static final Set<String> NAMES = Set.of("count", "sum", "min", "max", "avg", "mean");

  private final Binder binder;
  private final CallBinder calls;
  private final Diagnostics diagnostics;
  /** The aggregate whose argument is being bound, to refuse nesting. */
  private @Nullable String enclosing;

  AggregateBinder(Binder binder, CallBinder calls) {
    this.binder = binder;
    this.calls = calls;
    this.diagnostics = binder.diagnostics();
  }

  static boolean handles(String name) {
    return NAMES.contains(name);
  }

  Bound bind(Expr.Call c, String name) {
    if (!binder.allowAggregates()) {
      throw diagnostics.error(ErrorKind.INVALID_AGGREGATE, "aggregate function '" + name
          + "' is not allowed here: aggregates belong in the aggregation of a grouped query"
          + " (groupBy(...).agg(...)), not in per-row expressions such as filters", c);
    }
    if (enclosing != null) {
      throw diagnostics.error(ErrorKind.INVALID_AGGREGATE, "aggregate function '" + name
          + "' cannot be used inside another aggregate function ('" + enclosing + "')", c);
    }
    enclosing = name;
    try {
      return name.equals("count") ? count(c) : aggregate(c, name);
    } finally {
      enclosing = null;
    }
  }

  private Bound count(Expr.Call c) {
    if (c.args().size() == 1 && c.args().get(0) instanceof Expr.Star) {
      if (c.distinct()) {
        throw diagnostics.error(ErrorKind.UNSUPPORTED_OPERATION,
            "count(DISTINCT *) is not supported; count the distinct values of one column", c);
      }
      return new Bound.Aggregate(AggregateFunction.COUNT, null, LONG, false);
    }
    Bound arg = single(c, "count", "(*) or (any type)");
    AggregateFunction f = c.distinct() ? AggregateFunction.COUNT_DISTINCT : AggregateFunction.COUNT;
    return new Bound.Aggregate(f, arg, LONG, false);
  }

  private Bound aggregate(Expr.Call c, String name) {
    if (c.distinct()) {
      throw calls.distinctNotSupported(name, c);
    }
    boolean numeric = !name.equals("min") && !name.equals("max");
    Bound arg = single(c, name, numeric ? "(INT, BIGINT or DOUBLE)" : "(any type)");
    if (numeric && !arg.type().isNumeric() && arg.type() != NULL) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "function '" + name
          + "' needs a numeric argument, but " + diagnostics.typed(c.args().get(0), arg)
          + " is not", c);
    }
    // A NULL argument gets the type Spark gives it: DOUBLE for sum and avg.
    arg = TypeCoercion.coerce(arg, TypeCoercion.concrete(arg.type(), numeric ? DOUBLE : INT));
    switch (name) {
      case "sum":
        DataType sumType = arg.type() == DOUBLE ? DOUBLE : LONG;
        return new Bound.Aggregate(AggregateFunction.SUM, arg, sumType, true);
      case "min":
        return new Bound.Aggregate(AggregateFunction.MIN, arg, arg.type(), true);
      case "max":
        return new Bound.Aggregate(AggregateFunction.MAX, arg, arg.type(), true);
      default:
        return new Bound.Aggregate(AggregateFunction.AVG, arg, DOUBLE, true);
    }
  }

  /** The one argument, bound; WRONG_ARGUMENTS for any other count. */
  private Bound single(Expr.Call c, String name, String expected) {
    List<Bound> args = binder.bindAll(c.args());
    if (args.size() != 1) {
      throw calls.wrongArguments(name, expected, args, c);
    }
    return args.get(0);
  }
}
