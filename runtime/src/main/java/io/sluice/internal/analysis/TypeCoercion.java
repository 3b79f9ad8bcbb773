package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import java.util.Optional;

/**
 * The implicit and explicit type conversions of the language.
 *
 * <p>Implicitly, numbers widen along INT, BIGINT, DOUBLE and the NULL literal takes the type of
 * the other side. Unlike Spark, strings are never converted to numbers implicitly: a query that
 * needs it says {@code CAST}, so that a typo in a column type cannot silently turn into nulls or
 * errors at run time.
 */
final class TypeCoercion {
  private TypeCoercion() {}

  /** The type both sides can be widened to, if any. */
  static Optional<DataType> common(DataType a, DataType b) {
    if (a == b || b == DataType.NULL) {
      return Optional.of(a);
    }
    if (a == DataType.NULL) {
      return Optional.of(b);
    }
    if (a.isNumeric() && b.isNumeric()) {
      return Optional.of(rank(a) >= rank(b) ? a : b);
    }
    return Optional.empty();
  }

  /** Whether a value of type {@code from} is implicitly accepted where {@code to} is expected. */
  static boolean canWiden(DataType from, DataType to) {
    return from == to || from == DataType.NULL
        || (from.isNumeric() && to.isNumeric() && rank(from) <= rank(to));
  }

  /** The NULL type, which has no Java representation, replaced by {@code fallback}. */
  static DataType concrete(DataType type, DataType fallback) {
    return type == DataType.NULL ? fallback : type;
  }

  /**
   * {@code b} as a {@code to}: unchanged if it already is one; a literal converted at analysis
   * time when that is a widening; otherwise wrapped in a {@link Bound.Cast}.
   */
  static Bound coerce(Bound b, DataType to) {
    if (b.type() == to) {
      return b;
    }
    if (b instanceof Bound.Literal l && (l.value() == null || canWiden(l.type(), to))) {
      return new Bound.Literal(l.value() == null ? null : widen((Number) l.value(), to), to);
    }
    return new Bound.Cast(b, to, b.nullable());
  }

  /**
   * The explicit CASTs: numbers among themselves, anything to STRING, STRING to any type but
   * INTERVAL, BOOLEAN and TIMESTAMP to and from numbers (a timestamp as seconds, like Spark), and
   * STRING, INT and BIGINT to BINARY (UTF-8; big-endian bytes), which casts to nothing but STRING.
   */
  static boolean canCast(DataType from, DataType to) {
    if (from == to || from == DataType.NULL || to == DataType.STRING) {
      return true;
    }
    switch (to) {
      case INT:
      case LONG:
      case DOUBLE:
        return from.isNumeric() || from == DataType.STRING || from == DataType.BOOLEAN
            || from == DataType.TIMESTAMP;
      case BOOLEAN:
      case TIMESTAMP:
        return from.isNumeric() || from == DataType.STRING;
      case BINARY:
        return castsToBinary(from);
      default:
        return false;
    }
  }

  /** Spark casts strings and integral numbers to BINARY, nothing else. */
  static boolean castsToBinary(DataType from) {
    return from == DataType.STRING || from == DataType.INT || from == DataType.LONG;
  }

  private static Object widen(Number n, DataType to) {
    switch (to) {
      case LONG:
        return n.longValue();
      case DOUBLE:
        return n.doubleValue();
      default:
        return n.intValue();
    }
  }

  private static int rank(DataType numeric) {
    switch (numeric) {
      case INT:
        return 0;
      case LONG:
        return 1;
      default:
        return 2;
    }
  }
}
