package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import io.sluice.internal.expression.Expr.BinaryOp;
import io.sluice.internal.expression.Expr.UnaryOp;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A resolved, type-checked expression: the input of the code generator.
 *
 * <p>Every node knows its result type and whether it can be null. Operands of arithmetic and
 * comparisons already have one common type (the analyzer inserts {@link Cast} nodes), so the code
 * generator never decides a type. Records give structural equality, which the planner uses to match
 * grouping expressions.
 */
public sealed interface Bound {
  DataType type();

  boolean nullable();

  /**
   * A constant; {@code value} is null only for the NULL literal. Equal when their values are, a
   * {@code byte[]} by content, so that a grouping by {@code X'0A'} matches the same in the output.
   */
  record Literal(@Nullable Object value, DataType type) implements Bound {
    @Override
    public boolean nullable() {
      return value == null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Literal l && Objects.deepEquals(l.value, value) && l.type == type;
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(new Object[] {value}) * 31 + type.hashCode();
    }
  }

  /** The input column at {@code ordinal}. */
  record Column(int ordinal, String name, DataType type, boolean nullable) implements Bound {}

  /** {@code -x} (numeric or interval) or {@code NOT x} (boolean). */
  record Unary(UnaryOp op, Bound operand, DataType type, boolean nullable) implements Bound {}

  /**
   * A binary operator over operands of one common type, except timestamp/interval arithmetic
   * ({@code TIMESTAMP ± INTERVAL}, {@code TIMESTAMP - TIMESTAMP}). AND/OR follow SQL's
   * three-valued logic; {@code NULL_SAFE_EQ} is never null.
   */
  record Binary(BinaryOp op, Bound left, Bound right, DataType type, boolean nullable)
      implements Bound {}

  /** {@code CAST(x AS type)}, also inserted implicitly to widen numbers. */
  record Cast(Bound operand, DataType type, boolean nullable) implements Bound {}

  /**
   * A call of a built-in scalar function. The function is null-intolerant: the result is null if
   * any argument is null.
   */
  record Call(ScalarFunction function, List<Bound> args, boolean nullable) implements Bound {
    @Override
    public DataType type() {
      return function.returnType();
    }
  }

  /** The searched CASE; {@code otherwise} null means ELSE NULL. Values share {@code type}. */
  record Case(List<Bound> conditions, List<Bound> values, @Nullable Bound otherwise, DataType type,
      boolean nullable) implements Bound {}

  /** {@code value [NOT] IN (list)}; list items share the value's type. */
  record In(Bound value, List<Bound> list, boolean negated, boolean nullable) implements Bound {
    @Override
    public DataType type() {
      return DataType.BOOLEAN;
    }
  }

  /** {@code x IS [NOT] NULL}. */
  record IsNull(Bound operand, boolean negated) implements Bound {
    @Override
    public DataType type() {
      return DataType.BOOLEAN;
    }

    @Override
    public boolean nullable() {
      return false;
    }
  }

  /** {@code value [NOT] LIKE pattern} with a pattern known at analysis time. */
  record Like(Bound value, String pattern, boolean negated, boolean nullable) implements Bound {
    @Override
    public DataType type() {
      return DataType.BOOLEAN;
    }
  }

  /**
   * {@code window(time, size, slide, start)}: the windows {@code [k * slide + offset, k * slide +
   * offset + size)} that contain {@code time} (epoch ms, a TIMESTAMP or BIGINT). A tumbling window
   * ({@code size == slide}) is one per row; a sliding one, several, so it may only be a grouping
   * key.
   */
  record TimeWindow(Bound time, long size, long slide, long offset) implements Bound {
    @Override
    public DataType type() {
      return DataType.WINDOW;
    }

    @Override
    public boolean nullable() {
      return time.nullable();
    }

    public boolean tumbling() {
      return size == slide;
    }

    /** The most windows one row can fall in. */
    public int overlapping() {
      return (int) ((size + slide - 1) / slide);
    }
  }

  /**
   * {@code session_window(time, gap)}: the row's own session {@code [time, time + gap)}, merged
   * with overlapping sessions of the same key by the aggregation. {@code gap} is an INTERVAL, or a
   * STRING such as {@code '5 seconds'}; a row whose gap is null or not positive is dropped, as in
   * Spark.
   */
  record SessionWindow(Bound time, Bound gap) implements Bound {
    @Override
    public DataType type() {
      return DataType.WINDOW;
    }

    @Override
    public boolean nullable() {
      return true;
    }
  }

  /** {@code window.start} or {@code window.end} of a WINDOW value. */
  record WindowField(Bound window, boolean end) implements Bound {
    @Override
    public DataType type() {
      return DataType.TIMESTAMP;
    }

    @Override
    public boolean nullable() {
      return window.nullable();
    }
  }

  /**
   * An aggregate function over the rows of a group; {@code argument} is null for {@code
   * count(*)}. Only the planner's aggregation step consumes these.
   */
  record Aggregate(AggregateFunction function, @Nullable Bound argument, DataType type,
      boolean nullable) implements Bound {}
}
