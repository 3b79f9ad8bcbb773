package io.sluice.internal.expression;

import io.sluice.api.DataType;
import io.sluice.internal.expression.Expr.Literal;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Parses what follows the keyword {@code INTERVAL} into a literal of milliseconds.
 *
 * <p>Accepted forms: {@code INTERVAL 10 SECONDS}, {@code INTERVAL '10' SECOND}, {@code INTERVAL -5
 * MINUTES}, {@code INTERVAL 1 HOUR 30 MINUTES} and {@code INTERVAL '1 hour 30 minutes'}.
 */
final class IntervalLiteralParser {
  private static final String UNITS = "an interval unit (" + IntervalUnit.NAMES + ")";

  private final ExpressionParser parser;
  private final Token keyword;

  IntervalLiteralParser(ExpressionParser parser, Token keyword) {
    this.parser = parser;
    this.keyword = keyword;
  }

  Literal parse() {
    long total = part(true);
    while (startsPart(parser.peek())) {
      total = add(total, part(false));
    }
    return new Literal(total, DataType.INTERVAL, parser.span(keyword.offset()));
  }

  private static boolean startsPart(Token t) {
    return t.kind() == TokenKind.INTEGER || t.kind() == TokenKind.STRING;
  }

  private long part(boolean first) {
    boolean negative = first && parser.accept(TokenKind.MINUS);
    Token amount = parser.advance();
    if (!startsPart(amount)) {
      throw parser.expected(amount, "a whole number or a quoted interval after INTERVAL");
    }
    if (amount.kind() == TokenKind.STRING && !negative && hasLetter(amount)) {
      return quoted(amount);
    }
    long value = wholeNumber(amount);
    return times(amount, negative ? -value : value, unit(parser.advance()));
  }

  private IntervalUnit unit(Token t) {
    Optional<IntervalUnit> unit =
        t.kind() == TokenKind.IDENTIFIER ? IntervalUnit.parse(t.text()) : Optional.empty();
    if (unit.isEmpty()) {
      throw ParseErrors.at(parser.text(), "expected " + UNITS + " but found " + t.describe(),
          t.offset(), t.length(), IntervalUnit.calendarHint(t.text()));
    }
    return unit.get();
  }

  /** {@code '1 hour 30 minutes'}: pairs of a whole number and a unit. */
  private long quoted(Token t) {
    String[] words = t.name().trim().split("\\s+");
    if (words.length % 2 != 0) {
      throw invalidQuoted(t, null);
    }
    long total = 0;
    for (int i = 0; i < words.length; i += 2) {
      Optional<IntervalUnit> unit = IntervalUnit.parse(words[i + 1]);
      if (unit.isEmpty()) {
        throw invalidQuoted(t, IntervalUnit.calendarHint(words[i + 1]));
      }
      total = add(total, times(t, parseLong(t, words[i]), unit.get()));
    }
    return total;
  }

  private RuntimeException invalidQuoted(Token t, @Nullable String hint) {
    return ParseErrors.at(parser.text(), "expected an interval like '10 seconds' or '1 hour 30"
        + " minutes' but found " + t.describe(), t.offset(), t.length(), hint);
  }

  private long wholeNumber(Token t) {
    String digits = t.kind() == TokenKind.STRING ? t.name().trim() : t.text();
    boolean suffixed = t.kind() == TokenKind.INTEGER && digits.toUpperCase(Locale.ROOT).endsWith("L");
    return parseLong(t, suffixed ? digits.substring(0, digits.length() - 1) : digits);
  }

  private long parseLong(Token t, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw parser.expected(t, "a whole number of interval units");
    }
  }

  private long times(Token t, long value, IntervalUnit unit) {
    try {
      return Math.multiplyExact(value, unit.millis());
    } catch (ArithmeticException e) {
      throw parser.expected(t, "an interval that fits in a BIGINT of milliseconds");
    }
  }

  private long add(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw ParseErrors.at(parser.text(), "interval is out of range", keyword.offset(),
          parser.peek().offset() - keyword.offset(), null);
    }
  }

  private static boolean hasLetter(Token t) {
    return t.name().chars().anyMatch(Character::isLetter);
  }
}
