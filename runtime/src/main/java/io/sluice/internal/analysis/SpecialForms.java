package io.sluice.internal.analysis;

import static io.sluice.api.DataType.BOOLEAN;
import static io.sluice.api.DataType.INT;
import static io.sluice.api.DataType.STRING;

import io.sluice.api.DataType;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Expr.BinaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Functions that are conditionals in disguise, rewritten into CASE, IS NULL and {@code ||} nodes:
 * coalesce, nvl/ifnull, if, nullif, greatest, least, concat, isnull and isnotnull.
 *
 * <p>They cannot be plain {@link ScalarFunction}s because those are null-intolerant, while these
 * look at nulls: {@code coalesce(a, b)} is b when a is null, and {@code greatest(1, NULL)} is 1 in
 * Spark.
 */
final class SpecialForms {
  static final Set<String> NAMES = Set.of("coalesce", "nvl", "ifnull", "if", "nullif", "greatest",
      "least", "concat", "isnull", "isnotnull");

  private final Binder binder;
  private final CallBinder calls;

  SpecialForms(Binder binder, CallBinder calls) {
    this.binder = binder;
    this.calls = calls;
  }

  static boolean handles(String name) {
    return NAMES.contains(name);
  }

  Bound bind(Expr.Call c, String name) {
    switch (name) {
      case "coalesce":
        return coalesce(c, name, arguments(c, name, 1, Integer.MAX_VALUE, "(any, ...)"));
      case "nvl":
      case "ifnull":
        return coalesce(c, name, arguments(c, name, 2, 2, "(any, any)"));
      case "if":
        return ifThenElse(c);
      case "nullif":
        return nullIf(c);
      case "greatest":
      case "least":
        return extreme(c, name);
      case "concat":
        return concat(c);
      default:
        Bound operand = arguments(c, name, 1, 1, "(any)").get(0);
        return new Bound.IsNull(operand, name.equals("isnotnull"));
    }
  }

  /** {@code CASE WHEN a IS NOT NULL THEN a ... ELSE last END}, stopping at a never-null one. */
  private Bound coalesce(Expr.Call c, String name, List<Bound> args) {
    List<Bound> values = coerceAll(args, binder.unify(name + "()", c.args(), args));
    int last = 0;
    while (last < values.size() - 1 && values.get(last).nullable()) {
      last++;
    }
    if (last == 0) {
      return values.get(0);
    }
    List<Bound> conditions = values.subList(0, last).stream()
        .map(v -> (Bound) new Bound.IsNull(v, true)).collect(Collectors.toList());
    Bound otherwise = values.get(last);
    return new Bound.Case(conditions, List.copyOf(values.subList(0, last)), otherwise,
        otherwise.type(), otherwise.nullable());
  }

  private Bound ifThenElse(Expr.Call c) {
    List<Bound> args = arguments(c, "if", 3, 3, "(BOOLEAN, any, any)");
    Bound condition = binder.condition(c.args().get(0), "the condition of if()");
    List<Bound> values = args.subList(1, 3);
    DataType type = binder.unify("if()", c.args().subList(1, 3), values);
    values = coerceAll(values, type);
    return new Bound.Case(List.of(condition), List.of(values.get(0)), values.get(1), type,
        values.get(0).nullable() || values.get(1).nullable());
  }

  /** {@code CASE WHEN a = b THEN NULL ELSE a END}; the comparison is typed like any '='. */
  private Bound nullIf(Expr.Call c) {
    Bound value = arguments(c, "nullif", 2, 2, "(any, any)").get(0);
    Bound equal = binder.bind(
        new Expr.Binary(BinaryOp.EQ, c.args().get(0), c.args().get(1), c.position()));
    DataType type = TypeCoercion.concrete(value.type(), INT);
    return new Bound.Case(List.of(equal), List.of(new Bound.Literal(null, type)),
        TypeCoercion.coerce(value, type), type, true);
  }

  /**
   * Nulls are skipped, as in Spark. Branch i wins when a_i is not null and no other non-null
   * argument beats it; the last argument is the ELSE, which is also right when all are null.
   */
  private Bound extreme(Expr.Call c, String name) {
    List<Bound> args = arguments(c, name, 2, Integer.MAX_VALUE, "(any, any, ...)");
    DataType type = TypeCoercion.concrete(binder.unify(name + "()", c.args(), args), INT);
    List<Bound> values = coerceAll(args, type);
    BinaryOp beats = name.equals("greatest") ? BinaryOp.GE : BinaryOp.LE;
    List<Bound> conditions = new ArrayList<>();
    for (int i = 0; i < values.size() - 1; i++) {
      conditions.add(wins(values, i, beats));
    }
    boolean nullable = values.stream().allMatch(Bound::nullable);
    return new Bound.Case(List.copyOf(conditions), List.copyOf(values.subList(0, values.size() - 1)),
        values.get(values.size() - 1), type, nullable);
  }

  private static Bound wins(List<Bound> values, int i, BinaryOp beats) {
    Bound candidate = values.get(i);
    @Nullable Bound result = candidate.nullable() ? new Bound.IsNull(candidate, true) : null;
    for (int j = 0; j < values.size(); j++) {
      if (j != i) {
        Bound other = values.get(j);
        Bound test = new Bound.Binary(beats, candidate, other, BOOLEAN,
            candidate.nullable() || other.nullable());
        test = other.nullable() ? logical(BinaryOp.OR, new Bound.IsNull(other, false), test) : test;
        result = result == null ? test : logical(BinaryOp.AND, result, test);
      }
    }
    return Objects.requireNonNull(result, "two or more arguments");
  }

  private static Bound logical(BinaryOp op, Bound l, Bound r) {
    return new Bound.Binary(op, l, r, BOOLEAN, l.nullable() || r.nullable());
  }

  /** Chained {@code ||}; every argument joins as its string form, as in Spark. */
  private Bound concat(Expr.Call c) {
    List<Bound> args = binder.bindAll(c.args());
    @Nullable Bound result = args.isEmpty() ? new Bound.Literal("", STRING) : null;
    for (Bound arg : args) {
      Bound text = TypeCoercion.coerce(arg, STRING);
      result = result == null ? text : new Bound.Binary(BinaryOp.CONCAT, result, text, STRING,
          result.nullable() || text.nullable());
    }
    return Objects.requireNonNull(result);
  }

  private List<Bound> arguments(Expr.Call c, String name, int min, int max, String expected) {
    List<Bound> args = binder.bindAll(c.args());
    if (args.size() < min || args.size() > max) {
      throw calls.wrongArguments(name, expected, args, c);
    }
    return args;
  }

  private static List<Bound> coerceAll(List<Bound> bounds, DataType type) {
    return bounds.stream().map(b -> TypeCoercion.coerce(b, type)).collect(Collectors.toList());
  }
}
