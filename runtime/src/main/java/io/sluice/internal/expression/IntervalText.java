package io.sluice.internal.expression;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads an interval written as text, as {@code withWatermark}, {@code window} and {@code
 * session_window} take it: {@code "10 minutes"}, {@code "1 hour 30 minutes"}, {@code "interval 5
 * seconds"}, {@code "-5 seconds"}.
 */
public final class IntervalText {
  private IntervalText() {}

  /**
   * The interval in milliseconds.
   *
   * @throws IllegalArgumentException naming the text and the units accepted, if it does not parse
   */
  public static long parseMillis(String text) {
    String[] words = text.trim().split("\\s+");
    int from = words.length > 0 && words[0].equalsIgnoreCase("interval") ? 1 : 0;
    if (words.length - from < 2 || (words.length - from) % 2 != 0) {
      throw invalid(text, null);
    }
    long total = 0;
    for (int i = from; i < words.length; i += 2) {
      Optional<IntervalUnit> unit = IntervalUnit.parse(words[i + 1]);
      if (unit.isEmpty()) {
        throw invalid(text, IntervalUnit.calendarHint(words[i + 1]));
      }
      try {
        total = Math.addExact(total,
            Math.multiplyExact(Long.parseLong(words[i]), unit.get().millis()));
      } catch (NumberFormatException | ArithmeticException e) {
        throw invalid(text, null);
      }
    }
    return total;
  }

  private static IllegalArgumentException invalid(String text, String hint) {
    return new IllegalArgumentException("'" + text + "' is not an interval; write it like"
        + " '10 seconds' or '1 hour 30 minutes', with units " + IntervalUnit.NAMES.toLowerCase(
            Locale.ROOT) + (hint == null ? "" : " (" + hint + ")"));
  }

  /** The interval as text that {@link #parseMillis} reads back, e.g. {@code 90 seconds}. */
  public static String format(long millis) {
    IntervalUnit unit = IntervalUnit.largestDividing(millis);
    return (millis / unit.millis()) + " " + unit.name().toLowerCase(Locale.ROOT) + "s";
  }
}
