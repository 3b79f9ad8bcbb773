package io.sluice.internal.expression;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The units of an {@code INTERVAL} literal, each a fixed number of milliseconds.
 *
 * <p>Months and years are left out on purpose: their length depends on the calendar, and interval
 * values here are plain millisecond counts.
 */
enum IntervalUnit {
  MILLISECOND(1L),
  SECOND(1_000L),
  MINUTE(60_000L),
  HOUR(3_600_000L),
  DAY(86_400_000L),
  WEEK(604_800_000L);

  static final String NAMES = "MILLISECOND, SECOND, MINUTE, HOUR, DAY or WEEK";

  private final long millis;

  IntervalUnit(long millis) {
    this.millis = millis;
  }

  long millis() {
    return millis;
  }

  /** The unit named {@code word}, singular or plural, in any case. */
  static Optional<IntervalUnit> parse(String word) {
    String upper = word.toUpperCase(Locale.ROOT);
    String singular = upper.endsWith("S") ? upper.substring(0, upper.length() - 1) : upper;
    for (IntervalUnit unit : values()) {
      if (unit.name().equals(singular)) {
        return Optional.of(unit);
      }
    }
    return Optional.empty();
  }

  /** Why {@code word} is refused, when it names a calendar unit; otherwise null. */
  static @Nullable String calendarHint(String word) {
    String upper = word.toUpperCase(Locale.ROOT);
    boolean calendar = upper.startsWith("MONTH") || upper.startsWith("YEAR");
    return calendar ? "months and years have no fixed length; use days instead" : null;
  }

  /** The largest unit that divides {@code millis} exactly, for printing. */
  static IntervalUnit largestDividing(long millis) {
    IntervalUnit[] units = values();
    if (millis == 0) {
      return SECOND;
    }
    for (int i = units.length - 1; i > 0; i--) {
      if (millis % units[i].millis == 0) {
        return units[i];
      }
    }
    return MILLISECOND;
  }
}
