package io.sluice.internal.connector;

import io.sluice.internal.batch.Casts;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns timestamp text into epoch milliseconds, by the source option {@code timestampFormat} or,
 * without it, by ISO-8601.
 *
 * <p>The default accepts {@code 2024-01-01T00:00:00Z}, an offset such as {@code +02:00}, a space
 * instead of the {@code T} ({@code 2024-01-01 00:00:00}, as SQL tools write it) and a bare date;
 * text without an offset is read as UTC, never in the machine's zone, so that results do not
 * depend on where the query runs. A pattern is a {@link DateTimeFormatter} pattern, also read as
 * UTC unless it parses an offset or zone.
 */
final class TimestampParser {
  private final @Nullable DateTimeFormatter pattern;
  private final String description;

  private TimestampParser(@Nullable DateTimeFormatter pattern, String description) {
    this.pattern = pattern;
    this.description = description;
  }

  /** The ISO-8601 parser. */
  static TimestampParser iso() {
    return new TimestampParser(null, "ISO-8601, e.g. 2024-01-01T00:00:00Z");
  }

  /**
   * A parser for {@code pattern}.
   *
   * @throws IllegalArgumentException if the pattern is not a valid {@link DateTimeFormatter}
   *     pattern
   */
  static TimestampParser ofPattern(String pattern) {
    DateTimeFormatter formatter =
        DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
    return new TimestampParser(formatter, pattern);
  }

  /** What the parser expects, for error messages. */
  String description() {
    return description;
  }

  /** Epoch milliseconds of {@code text}; a {@link DateTimeException} if it does not parse. */
  long parse(String text) {
    String trimmed = text.trim();
    return pattern == null ? parseIso(trimmed) : parseWithPattern(pattern, trimmed);
  }

  private static long parseIso(String text) {
    return Casts.parseTimestamp(text);
  }


  private static long parseWithPattern(DateTimeFormatter formatter, String text) {
    TemporalAccessor parsed = formatter.parse(text);
    if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
      return Instant.from(parsed).toEpochMilli();
    }
    // A date-only pattern such as yyyy-MM-dd: midnight UTC.
    return LocalDate.from(parsed).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
