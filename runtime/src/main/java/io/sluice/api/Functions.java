package io.sluice.api;

import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Position;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Static factories for {@link Column}s, named as in Spark's {@code functions}: {@code col}, {@code
 * lit}, {@code expr}, and the aggregate functions.
 *
 * <pre>{@code
 * clicks.groupBy(col("page")).agg(count("*").as("views"), countDistinct("user").as("users"))
 * }</pre>
 */
public final class Functions {
  private Functions() {}

  /** The column with this name. */
  public static Column col(String name) {
    return new Column(new Expr.ColumnRef(name, Position.NONE), null);
  }

  /** A constant: a number, string, boolean, {@code byte[]} (a BINARY) or null. */
  public static Column lit(@Nullable Object value) {
    return new Column(literal(value), null);
  }

  /** A column from an expression string, e.g. {@code expr("price * quantity AS total")}. */
  public static Column expr(String expression) {
    return Column.parse(expression);
  }

  /** {@code count(*)} for {@code "*"}, else the count of non-null values of the column. */
  public static Column count(String column) {
    Expr arg = "*".equals(column) ? new Expr.Star(Position.NONE) : ref(column);
    return call("count", arg);
  }

  public static Column count(Column column) {
    return call("count", column.expr());
  }

  public static Column countDistinct(String column) {
    return new Column(new Expr.Call("count", List.of(ref(column)), true, Position.NONE), null);
  }

  public static Column sum(String column) {
    return call("sum", ref(column));
  }

  public static Column sum(Column column) {
    return call("sum", column.expr());
  }

  public static Column avg(String column) {
    return call("avg", ref(column));
  }

  public static Column avg(Column column) {
    return call("avg", column.expr());
  }

  public static Column min(String column) {
    return call("min", ref(column));
  }

  public static Column min(Column column) {
    return call("min", column.expr());
  }

  public static Column max(String column) {
    return call("max", ref(column));
  }

  public static Column max(Column column) {
    return call("max", column.expr());
  }

  /**
   * Tumbling event-time windows of {@code windowDuration} (e.g. {@code "10 minutes"}) over a
   * TIMESTAMP or epoch-millisecond column: {@code groupBy(window(col("ts"), "10 minutes"))}. The
   * column is named {@code window}, with fields {@code start} and {@code end}.
   */
  public static Column window(Column timeColumn, String windowDuration) {
    return windowCall("window", timeColumn, windowDuration);
  }

  /** Sliding windows of {@code windowDuration}, one starting every {@code slideDuration}. */
  public static Column window(Column timeColumn, String windowDuration, String slideDuration) {
    return windowCall("window", timeColumn, windowDuration, slideDuration);
  }

  /**
   * Sliding windows whose starts are shifted by {@code startTime} from the epoch, e.g. hourly
   * windows from quarter past: {@code window(col("ts"), "1 hour", "1 hour", "15 minutes")}.
   */
  public static Column window(Column timeColumn, String windowDuration, String slideDuration,
      String startTime) {
    return windowCall("window", timeColumn, windowDuration, slideDuration, startTime);
  }

  /**
   * Session windows: a key's rows less than {@code gapDuration} apart (e.g. {@code "5 minutes"})
   * form one session, named {@code session_window}, as Spark's {@code session_window}.
   */
  public static Column sessionWindow(Column timeColumn, String gapDuration) {
    return windowCall("session_window", timeColumn, gapDuration);
  }

  /**
   * Session windows with a gap computed per row: an INTERVAL, or a STRING like {@code '5
   * minutes'}; a row whose gap is null or not positive is dropped, as in Spark.
   */
  public static Column sessionWindow(Column timeColumn, Column gapDuration) {
    return new Column(new Expr.Call("session_window", List.of(timeColumn.expr(),
        gapDuration.expr()), false, Position.NONE), null);
  }

  private static Column windowCall(String name, Column time, String... durations) {
    List<Expr> args = new java.util.ArrayList<>();
    args.add(time.expr());
    for (String d : durations) {
      args.add(new Expr.Literal(d, DataType.STRING, Position.NONE));
    }
    return new Column(new Expr.Call(name, List.copyOf(args), false, Position.NONE), null);
  }

  private static Column call(String name, Expr arg) {
    return new Column(new Expr.Call(name, List.of(arg), false, Position.NONE), null);
  }

  private static Expr ref(String column) {
    return new Expr.ColumnRef(column, Position.NONE);
  }

  static Expr toExpr(@Nullable Object value) {
    return value instanceof Column c ? c.expr() : literal(value);
  }

  private static Expr literal(@Nullable Object value) {
    if (value == null) {
      return new Expr.Literal(null, DataType.NULL, Position.NONE);
    } else if (value instanceof Integer i) {
      return new Expr.Literal(i, DataType.INT, Position.NONE);
    } else if (value instanceof Long l) {
      return new Expr.Literal(l, DataType.LONG, Position.NONE);
    } else if (value instanceof Double d) {
      return new Expr.Literal(d, DataType.DOUBLE, Position.NONE);
    } else if (value instanceof Boolean b) {
      return new Expr.Literal(b, DataType.BOOLEAN, Position.NONE);
    } else if (value instanceof String s) {
      return new Expr.Literal(s, DataType.STRING, Position.NONE);
    } else if (value instanceof byte[] b) {
      // A copy: the caller may reuse its array, and the query keeps the literal.
      return new Expr.Literal(b.clone(), DataType.BINARY, Position.NONE);
    }
    throw new SluiceException(ErrorKind.TYPE_MISMATCH, "cannot use "
        + value.getClass().getName() + " as a literal; use a number, string, boolean or byte[]");
  }
}
