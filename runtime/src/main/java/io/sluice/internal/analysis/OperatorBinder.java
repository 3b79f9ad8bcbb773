package io.sluice.internal.analysis;

import static io.sluice.api.DataType.BOOLEAN;
import static io.sluice.api.DataType.DOUBLE;
import static io.sluice.api.DataType.INT;
import static io.sluice.api.DataType.INTERVAL;
import static io.sluice.api.DataType.LONG;
import static io.sluice.api.DataType.NULL;
import static io.sluice.api.DataType.STRING;
import static io.sluice.api.DataType.TIMESTAMP;
import static io.sluice.internal.analysis.TypeCoercion.coerce;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Expr.BinaryOp;
import io.sluice.internal.expression.Expr.UnaryOp;
import org.jspecify.annotations.Nullable;

/**
 * Types the unary and binary operators: arithmetic, timestamp arithmetic, comparisons, logic and
 * string concatenation.
 */
final class OperatorBinder {
  private final Binder binder;
  private final Diagnostics diagnostics;

  OperatorBinder(Binder binder) {
    this.binder = binder;
    this.diagnostics = binder.diagnostics();
  }

  Bound unary(Expr.Unary u) {
    Bound operand = binder.bind(u.operand());
    DataType type = u.op() == UnaryOp.NOT ? BOOLEAN : TypeCoercion.concrete(operand.type(), INT);
    boolean valid = u.op() == UnaryOp.NOT ? TypeCoercion.canWiden(operand.type(), BOOLEAN)
        : type.isNumeric() || type == INTERVAL;
    if (!valid) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "cannot apply '" + u.op().symbol()
          + "' to " + diagnostics.typed(u.operand(), operand), u);
    }
    return new Bound.Unary(u.op(), coerce(operand, type), type, operand.nullable());
  }

  Bound binary(Expr.Binary e) {
    Bound l = binder.bind(e.left());
    Bound r = binder.bind(e.right());
    if (e.op() == BinaryOp.AND || e.op() == BinaryOp.OR) {
      return logic(e, l, r);
    } else if (e.op() == BinaryOp.CONCAT) {
      // Like Spark's concat, any value joins as its string form.
      return new Bound.Binary(e.op(), coerce(l, STRING), coerce(r, STRING), STRING,
          l.nullable() || r.nullable());
    } else if (e.op().isComparison()) {
      return comparison(e, l, r);
    } else if (isTemporal(l) || isTemporal(r)) {
      return temporal(e, l, r);
    }
    return arithmetic(e, l, r);
  }

  private Bound logic(Expr.Binary e, Bound l, Bound r) {
    if (!TypeCoercion.canWiden(l.type(), BOOLEAN) || !TypeCoercion.canWiden(r.type(), BOOLEAN)) {
      throw mismatch(e, l, r, e.op().symbol() + " needs BOOLEAN operands");
    }
    return binary(e.op(), coerce(l, BOOLEAN), coerce(r, BOOLEAN), BOOLEAN);
  }

  private Bound comparison(Expr.Binary e, Bound left, Bound right) {
    Bound l = binder.timestampFromString(left, e.left(), right, e.right());
    Bound r = binder.timestampFromString(right, e.right(), left, e.left());
    DataType type = TypeCoercion.common(l.type(), r.type())
        .orElseThrow(() -> mismatch(e, l, r, hint(e, l, r)));
    type = TypeCoercion.concrete(type, INT);
    boolean nullable = e.op() != BinaryOp.NULL_SAFE_EQ && (l.nullable() || r.nullable());
    return new Bound.Binary(e.op(), coerce(l, type), coerce(r, type), BOOLEAN, nullable);
  }

  /** {@code / } is always DOUBLE and DIV always BIGINT, as in Spark; the rest widen. */
  private Bound arithmetic(Expr.Binary e, Bound l, Bound r) {
    boolean integral = isIntegral(l) && isIntegral(r);
    if (!isNumeric(l) || !isNumeric(r) || (e.op() == BinaryOp.INTEGER_DIVIDE && !integral)) {
      throw mismatch(e, l, r, hint(e, l, r));
    }
    DataType type = e.op() == BinaryOp.DIVIDE ? DOUBLE
        : e.op() == BinaryOp.INTEGER_DIVIDE ? LONG
        : TypeCoercion.concrete(TypeCoercion.common(l.type(), r.type()).orElseThrow(), INT);
    return binary(e.op(), coerce(l, type), coerce(r, type), type);
  }

  /**
   * TIMESTAMP ± INTERVAL and INTERVAL + TIMESTAMP are TIMESTAMPs, INTERVAL ± INTERVAL and
   * TIMESTAMP - TIMESTAMP are INTERVALs. A NULL operand takes the type that makes sense.
   */
  private Bound temporal(Expr.Binary e, Bound l, Bound r) {
    boolean subtract = e.op() == BinaryOp.SUBTRACT;
    DataType lt = l.type() == NULL ? (subtract && r.type() == TIMESTAMP ? TIMESTAMP : INTERVAL)
        : l.type();
    DataType rt = r.type() == NULL ? INTERVAL : r.type();
    DataType result = temporalResult(e.op(), lt, rt);
    if (result == null) {
      throw mismatch(e, l, r, hint(e, l, r));
    }
    return binary(e.op(), coerce(l, lt), coerce(r, rt), result);
  }

  private static @Nullable DataType temporalResult(BinaryOp op, DataType l, DataType r) {
    boolean add = op == BinaryOp.ADD;
    if ((add || op == BinaryOp.SUBTRACT) && l == TIMESTAMP && r == INTERVAL) {
      return TIMESTAMP;
    } else if (add && l == INTERVAL && r == TIMESTAMP) {
      return TIMESTAMP;
    } else if ((add || op == BinaryOp.SUBTRACT) && l == INTERVAL && r == INTERVAL) {
      return INTERVAL;
    }
    return op == BinaryOp.SUBTRACT && l == TIMESTAMP && r == TIMESTAMP ? INTERVAL : null;
  }

  private static Bound binary(BinaryOp op, Bound l, Bound r, DataType type) {
    return new Bound.Binary(op, l, r, type, l.nullable() || r.nullable());
  }

  private SluiceException mismatch(Expr.Binary e, Bound l, Bound r, @Nullable String hint) {
    return diagnostics.error(ErrorKind.TYPE_MISMATCH, "cannot apply '" + e.op().symbol() + "' to "
        + diagnostics.typed(e.left(), l) + " and " + diagnostics.typed(e.right(), r)
        + (hint == null ? "" : "; " + hint), e);
  }

  /** What to write instead, for the mistakes that have a usual fix. */
  private @Nullable String hint(Expr.Binary e, Bound l, Bound r) {
    if (l.type() == STRING && r.type() == STRING && e.op() == BinaryOp.ADD) {
      return "use || or concat() to join strings";
    } else if (l.type() == STRING || r.type() == STRING) {
      boolean leftIsString = l.type() == STRING;
      Expr text = leftIsString ? e.left() : e.right();
      DataType target = leftIsString ? r.type() : l.type();
      return target == NULL || target == STRING ? null
          : "a STRING is not converted to " + target + " implicitly: write CAST("
              + diagnostics.text(text) + " AS " + target + ")";
    } else if (e.op() == BinaryOp.INTEGER_DIVIDE && isNumeric(l) && isNumeric(r)) {
      return "DIV needs INT or BIGINT operands; write floor(a / b) for DOUBLE";
    } else if ((l.type() == TIMESTAMP && r.type().isNumeric())
        || (r.type() == TIMESTAMP && l.type().isNumeric())) {
      return "add or subtract an INTERVAL, like INTERVAL 5 MINUTES";
    }
    return null;
  }

  private static boolean isTemporal(Bound b) {
    return b.type() == TIMESTAMP || b.type() == INTERVAL;
  }

  private static boolean isNumeric(Bound b) {
    return b.type().isNumeric() || b.type() == NULL;
  }

  private static boolean isIntegral(Bound b) {
    return b.type() == INT || b.type() == LONG || b.type() == NULL;
  }
}
