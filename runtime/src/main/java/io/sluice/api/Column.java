package io.sluice.api;

import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Expr.BinaryOp;
import io.sluice.internal.expression.ExpressionParser;
import io.sluice.internal.expression.Position;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A column expression for {@link Dataset#select(Column...)}, {@link Dataset#filter(Column)} and
 * aggregations: a column by name, a literal, an expression string, or an operator over columns.
 *
 * <p>Columns are not bound to a dataset until used; an unknown name is reported then, listing the
 * columns that exist. Build them with {@link Functions}: {@code col("page").equalTo(lit("home"))}.
 */
public final class Column {
  private final Expr expr;
  private final @Nullable String text;

  Column(Expr expr, @Nullable String text) {
    this.expr = expr;
    this.text = text;
  }

  static Column parse(String expression) {
    return new Column(ExpressionParser.parse(expression), expression);
  }

  Expr expr() {
    return expr;
  }

  @Nullable String text() {
    return text;
  }

  /** This column under another name in the output. */
  public Column as(String alias) {
    Expr inner = expr instanceof Expr.Alias a ? a.operand() : expr;
    return new Column(new Expr.Alias(inner, alias, Position.NONE), text);
  }

  /** Same as {@link #as(String)}. */
  public Column alias(String alias) {
    return as(alias);
  }

  public Column plus(Object other) {
    return binary(BinaryOp.ADD, other);
  }

  public Column minus(Object other) {
    return binary(BinaryOp.SUBTRACT, other);
  }

  public Column multiply(Object other) {
    return binary(BinaryOp.MULTIPLY, other);
  }

  public Column divide(Object other) {
    return binary(BinaryOp.DIVIDE, other);
  }

  public Column mod(Object other) {
    return binary(BinaryOp.REMAINDER, other);
  }

  public Column equalTo(Object other) {
    return binary(BinaryOp.EQ, other);
  }

  public Column notEqual(Object other) {
    return binary(BinaryOp.NE, other);
  }

  public Column gt(Object other) {
    return binary(BinaryOp.GT, other);
  }

  public Column geq(Object other) {
    return binary(BinaryOp.GE, other);
  }

  public Column lt(Object other) {
    return binary(BinaryOp.LT, other);
  }

  public Column leq(Object other) {
    return binary(BinaryOp.LE, other);
  }

  public Column and(Column other) {
    return binary(BinaryOp.AND, other);
  }

  public Column or(Column other) {
    return binary(BinaryOp.OR, other);
  }

  public Column not() {
    return new Column(new Expr.Unary(Expr.UnaryOp.NOT, expr, Position.NONE), null);
  }

  public Column isNull() {
    return new Column(new Expr.IsNull(expr, false, Position.NONE), null);
  }

  public Column isNotNull() {
    return new Column(new Expr.IsNull(expr, true, Position.NONE), null);
  }

  /** {@code this IN (values...)}; values are literals or columns. */
  public Column isin(Object... values) {
    List<Expr> list = Arrays.stream(values).map(Functions::toExpr).toList();
    return new Column(new Expr.In(expr, list, false, Position.NONE), null);
  }

  /** SQL {@code LIKE} with {@code %} and {@code _}. */
  public Column like(String pattern) {
    return new Column(new Expr.Like(expr, Functions.toExpr(pattern), false, Position.NONE), null);
  }

  /** {@code CAST(this AS type)}. */
  public Column cast(DataType type) {
    return new Column(new Expr.Cast(expr, type, Position.NONE), null);
  }

  private Column binary(BinaryOp op, Object other) {
    return new Column(new Expr.Binary(op, expr, Functions.toExpr(other), Position.NONE), null);
  }

  @Override
  public String toString() {
    return io.sluice.internal.expression.ExprPrinter.toSql(expr);
  }
}
