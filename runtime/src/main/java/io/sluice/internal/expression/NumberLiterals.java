package io.sluice.internal.expression;

import io.sluice.api.DataType;
import io.sluice.internal.expression.Expr.Literal;
import java.math.BigInteger;

/**
 * Turns number tokens into literals: INT when the value fits, else BIGINT (or BIGINT by the
 * {@code L} suffix), DOUBLE for decimals, exponents and the {@code D} suffix. The sign is part of
 * the literal so that {@code -2147483648} is an INT, as in Spark.
 */
final class NumberLiterals {
  private NumberLiterals() {}

  static Literal parse(String text, Token t, boolean negative, Position p) {
    String digits = t.text();
    char last = Character.toUpperCase(digits.charAt(digits.length() - 1));
    String number = last == 'L' || last == 'D' ? digits.substring(0, digits.length() - 1) : digits;
    if (t.kind() == TokenKind.DECIMAL) {
      double value = Double.parseDouble(number);
      if (Double.isInfinite(value)) {
        throw ParseErrors.at(text, "number " + digits + " is out of range for DOUBLE",
            p.offset(), p.length(), null);
      }
      return new Literal(negative ? -value : value, DataType.DOUBLE, p);
    }
    BigInteger value = negative ? new BigInteger(number).negate() : new BigInteger(number);
    if (last != 'L' && value.bitLength() < Integer.SIZE) {
      return new Literal(value.intValue(), DataType.INT, p);
    }
    if (value.bitLength() < Long.SIZE) {
      return new Literal(value.longValue(), DataType.LONG, p);
    }
    throw ParseErrors.at(text, "integer " + value + " is out of range for BIGINT", p.offset(),
        p.length(), "write " + value + ".0 for a DOUBLE");
  }
}
