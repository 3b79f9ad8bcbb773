package io.sluice.internal.batch;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * SQL casts that are more than a Java conversion, with Spark's ANSI-mode rules: a string that is
 * not a number fails the cast; numbers to timestamps count seconds.
 */
public final class Casts {
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Casts() {}

  public static int toInt(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw invalid(s, "INT");
    }
  }

  public static long toLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw invalid(s, "BIGINT");
    }
  }

  public static double toDouble(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw invalid(s, "DOUBLE");
    }
  }

  public static boolean toBoolean(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "t":
      case "yes":
      case "y":
      case "1":
        return true;
      case "false":
      case "f":
      case "no":
      case "n":
      case "0":
        return false;
      default:
        throw invalid(s, "BOOLEAN");
    }
  }

  public static int toInt(long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw overflow(Long.toString(v), "INT");
    }
    return (int) v;
  }

  public static int toInt(double v) {
    if (Double.isNaN(v) || v < Integer.MIN_VALUE || v >= 2147483648.0) {
      throw overflow(Double.toString(v), "INT");
    }
    return (int) v;
  }

  public static long toLong(double v) {
    if (Double.isNaN(v) || v < -9.223372036854775808E18 || v >= 9.223372036854775808E18) {
      throw overflow(Double.toString(v), "BIGINT");
    }
    return (long) v;
  }

  /** Parses a timestamp: ISO-8601 instant, {@code yyyy-MM-dd HH:mm:ss[.SSS]} or a date, in UTC. */
  public static long toTimestamp(String s) {
    String text = s.trim();
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      if (text.endsWith("Z") || text.contains("+")) {
        return Instant.parse(text).toEpochMilli();
      }
      return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw invalid(s, "TIMESTAMP");
    }
  }

  /** Spark casts a number to a timestamp as seconds since the epoch. */
  public static long secondsToTimestamp(long seconds) {
    return Arithmetic.multiply(seconds, 1000L);
  }

  public static long secondsToTimestamp(double seconds) {
    return toLong(seconds * 1000.0);
  }

  /** Spark casts a timestamp to a number as whole seconds since the epoch. */
  public static long timestampToSeconds(long millis) {
    return Math.floorDiv(millis, 1000L);
  }

  /** {@code 2024-01-01 10:00:00}, with {@code .SSS} only when the milliseconds are not zero. */
  public static String timestampToString(long millis) {
    String whole = TIMESTAMP_TEXT.format(Instant.ofEpochMilli(millis));
    int ms = (int) Math.floorMod(millis, 1000L);
    if (ms == 0) {
      return whole;
    }
    String frac = String.format(Locale.ROOT, ".%03d", ms);
    while (frac.endsWith("0")) {
      frac = frac.substring(0, frac.length() - 1);
    }
    return whole + frac;
  }

  public static String intervalToString(long millis) {
    return "INTERVAL '" + (millis / 1000.0) + "' SECOND";
  }

  private static SluiceException invalid(String value, String type) {
    return new SluiceException(
        ErrorKind.EXECUTION, "cannot cast '" + value + "' to " + type + ": not a valid " + type);
  }

  private static SluiceException overflow(String value, String type) {
    return new SluiceException(
        ErrorKind.ARITHMETIC, "cannot cast " + value + " to " + type + ": out of range");
  }
}
