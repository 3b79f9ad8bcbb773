package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.ExprPrinter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Binds a parsed expression to a schema and type-checks it, following Spark SQL in ANSI mode
 * where that is sensible.
 *
 * <p>{@code Analyzer.bind(ExpressionParser.parse("amount * 2"), schema, "amount * 2", false)}
 * gives a {@link Bound.Binary} of type BIGINT when {@code amount} is a BIGINT column. Columns are
 * found case-sensitively first, then ignoring case; numbers widen along INT, BIGINT, DOUBLE with
 * {@link Bound.Cast} nodes inserted; {@code /} is DOUBLE; strings are never converted to numbers
 * implicitly. Errors are {@link SluiceException}s (UNKNOWN_COLUMN, UNKNOWN_FUNCTION,
 * WRONG_ARGUMENTS, TYPE_MISMATCH, INVALID_AGGREGATE, UNSUPPORTED_OPERATION) whose message ends
 * with the source line and carets when {@code sourceText} is given.
 */
public final class Analyzer {
  private Analyzer() {}

  /**
   * Binds {@code expr} against {@code schema}.
   *
   * @param sourceText the text {@code expr} was parsed from, to show positions in errors; null for
   *     expressions built in code
   * @param allowAggregates whether aggregate functions may appear (they may never be nested)
   * @return the typed tree; an {@link Expr.Alias} at the top is unwrapped, its name is read with
   *     {@code ExprPrinter.defaultName}
   */
  public static Bound bind(
      Expr expr, Schema schema, @Nullable String sourceText, boolean allowAggregates) {
    return bind(expr, schema, sourceText, allowAggregates, List.of());
  }

  /** Same, where calls may also name {@code functions} declared by the query. */
  public static Bound bind(Expr expr, Schema schema, @Nullable String sourceText,
      boolean allowAggregates, List<ScalarFunction> functions) {
    return new Binder(schema, sourceText, allowAggregates, functions).bind(expr);
  }

  /**
   * The name of the output column {@code expr} computes, bound as {@code bound}: {@code
   * ExprPrinter.defaultName}, except that a column named through its input's alias, {@code
   * col("l.key")}, is named {@code key}, as in Spark.
   */
  public static String outputName(Expr expr, Bound bound) {
    if (expr instanceof Expr.ColumnRef ref && bound instanceof Bound.Column c) {
      int dot = ref.name().indexOf('.');
      if (dot > 0 && ref.name().substring(dot + 1).equalsIgnoreCase(c.name())) {
        return ref.name().substring(dot + 1);
      }
    }
    return ExprPrinter.defaultName(expr);
  }

  /**
   * Binds a filter condition: no aggregates, and the result must be BOOLEAN. A NULL literal is a
   * condition that never holds.
   */
  public static Bound bindPredicate(Expr expr, Schema schema, @Nullable String sourceText) {
    return bindPredicate(expr, schema, sourceText, List.of());
  }

  /** Same, where calls may also name {@code functions} declared by the query. */
  public static Bound bindPredicate(Expr expr, Schema schema, @Nullable String sourceText,
      List<ScalarFunction> functions) {
    Binder binder = new Binder(schema, sourceText, false, functions);
    Bound bound = binder.bind(expr);
    if (!TypeCoercion.canWiden(bound.type(), DataType.BOOLEAN)) {
      Expr shown = expr instanceof Expr.Alias a ? a.operand() : expr;
      Diagnostics d = binder.diagnostics();
      throw d.error(ErrorKind.TYPE_MISMATCH, "filter condition must be BOOLEAN, but "
          + d.quoted(shown) + " is " + bound.type(), shown);
    }
    return TypeCoercion.coerce(bound, DataType.BOOLEAN);
  }
}
