package io.sluice.internal.expression;

import io.sluice.api.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An unresolved expression as the user wrote it, by expression string or fluent {@code Column}.
 *
 * <p>Column references are names; the analyzer binds them to a schema and checks types.
 */
public sealed interface Expr {
  Position position();

  /**
   * A constant: {@code Integer}, {@code Long}, {@code Double}, {@code String}, {@code Boolean},
   * {@code byte[]} or null. Equal when their values are, a {@code byte[]} by content.
   */
  record Literal(@Nullable Object value, DataType type, Position position) implements Expr {
    @Override
    public boolean equals(Object o) {
      return o instanceof Literal l && Objects.deepEquals(l.value, value) && l.type == type
          && l.position.equals(position);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.deepHashCode(new Object[] {value}), type, position);
    }
  }

  /** A column by name (backticks already removed). */
  record ColumnRef(String name, Position position) implements Expr {}

  /** {@code struct.field}, e.g. {@code window.start}. */
  record FieldAccess(Expr struct, String field, Position position) implements Expr {}

  /** {@code *}, only valid as the argument of {@code count(*)}. */
  record Star(Position position) implements Expr {}

  /** {@code -x} or {@code NOT x}. */
  record Unary(UnaryOp op, Expr operand, Position position) implements Expr {}

  /** Arithmetic, comparison, logic or string concatenation. */
  record Binary(BinaryOp op, Expr left, Expr right, Position position) implements Expr {}

  /** A function call, scalar or aggregate; {@code distinct} as in {@code count(DISTINCT x)}. */
  record Call(String name, List<Expr> args, boolean distinct, Position position) implements Expr {}

  /**
   * {@code CASE WHEN c THEN v ... ELSE e END}. The simple form {@code CASE x WHEN a THEN ...} is
   * rewritten by the parser into conditions {@code x = a}.
   */
  record Case(List<Expr> conditions, List<Expr> values, @Nullable Expr otherwise, Position position)
      implements Expr {}

  /** {@code CAST(x AS type)}. */
  record Cast(Expr operand, DataType target, Position position) implements Expr {}

  /** {@code x [NOT] IN (a, b, ...)}. */
  record In(Expr value, List<Expr> list, boolean negated, Position position) implements Expr {}

  /** {@code x IS [NOT] NULL}. */
  record IsNull(Expr operand, boolean negated, Position position) implements Expr {}

  /** {@code x [NOT] LIKE pattern}, with SQL's {@code %} and {@code _}. */
  record Like(Expr value, Expr pattern, boolean negated, Position position) implements Expr {}

  /** {@code expr AS name}: names an output column. */
  record Alias(Expr operand, String name, Position position) implements Expr {}

  /** The unary operators. */
  enum UnaryOp {
    NEGATE("-"),
    NOT("NOT");

    private final String symbol;

    UnaryOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** The binary operators, in SQL spelling. */
  enum BinaryOp {
    ADD("+"),
    SUBTRACT("-"),
    MULTIPLY("*"),
    DIVIDE("/"),
    REMAINDER("%"),
    INTEGER_DIVIDE("DIV"),
    EQ("="),
    NULL_SAFE_EQ("<=>"),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    AND("AND"),
    OR("OR"),
    CONCAT("||");

    private final String symbol;

    BinaryOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean isComparison() {
      return this == EQ || this == NULL_SAFE_EQ || this == NE || this == LT || this == LE
          || this == GT || this == GE;
    }

    public boolean isArithmetic() {
      return this == ADD || this == SUBTRACT || this == MULTIPLY || this == DIVIDE
          || this == REMAINDER || this == INTEGER_DIVIDE;
    }
  }
}
