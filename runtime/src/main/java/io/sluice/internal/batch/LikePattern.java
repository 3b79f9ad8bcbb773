package io.sluice.internal.batch;

import java.util.regex.Pattern;

/**
 * A compiled SQL LIKE pattern ({@code %} any run, {@code _} one character, {@code \} escapes).
 *
 * <p>Built once per query at planning time and kept in the stage's constant pool.
 */
public final class LikePattern {
  private final Pattern regex;

  private LikePattern(Pattern regex) {
    this.regex = regex;
  }

  public static LikePattern compile(String pattern) {
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
    return new LikePattern(Pattern.compile(re.toString()));
  }

  private static void flush(StringBuilder re, StringBuilder literal) {
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
      literal.setLength(0);
    }
  }

  public boolean matches(String value) {
    return regex.matcher(value).matches();
  }
}
