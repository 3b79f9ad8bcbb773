package io.sluice.internal.batch;

import java.util.regex.Pattern;

/**
 * A compiled SQL LIKE pattern ({@code %} any run, {@code _} one character, {@code \} escapes).
 *
 * <p>Built once per query at planning time and kept in the stage's constant pool.
 */
public final class LikePattern {
  /** How a pattern is matched: the common shapes without a regular expression. */
  private enum Shape {
    EXACT,
    PREFIX,
    SUFFIX,
    CONTAINS,
    REGEX
  }

  private final Shape shape;
  private final String literal;
  private final Pattern regex;

  private LikePattern(Shape shape, String literal, Pattern regex) {
    this.shape = shape;
    this.literal = literal;
    this.regex = regex;
  }

  public static LikePattern compile(String pattern) {
    Pattern regex = toRegex(pattern);
    if (pattern.indexOf('\\') >= 0 || pattern.indexOf('_') >= 0) {
      return new LikePattern(Shape.REGEX, pattern, regex);
    }
    String inner = pattern;
    boolean leading = inner.startsWith("%");
    boolean trailing = inner.length() > (leading ? 1 : 0) && inner.endsWith("%");
    inner = inner.substring(leading ? 1 : 0, inner.length() - (trailing ? 1 : 0));
    if (inner.indexOf('%') >= 0) {
      return new LikePattern(Shape.REGEX, pattern, regex);
    }
    Shape shape = leading && trailing ? Shape.CONTAINS : leading ? Shape.SUFFIX
        : trailing ? Shape.PREFIX : Shape.EXACT;
    return new LikePattern(shape, inner, regex);
  }

  private static Pattern toRegex(String pattern) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        literal.append(pattern.charAt(++i));
      } else if (c == '%' || c == '_') {
        flush(re, literal);
        re.append(c == '%' ? "(?s).*" : "(?s).");
      } else {
        literal.append(c);
      }
    }
    flush(re, literal);
    return Pattern.compile(re.toString());
  }

  private static void flush(StringBuilder re, StringBuilder literal) {
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
      literal.setLength(0);
    }
  }

  public boolean matches(String value) {
    switch (shape) {
      case EXACT:
        return value.equals(literal);
      case PREFIX:
        return value.startsWith(literal);
      case SUFFIX:
        return value.endsWith(literal);
      case CONTAINS:
        return value.contains(literal);
      default:
        return regex.matcher(value).matches();
    }
  }
}
