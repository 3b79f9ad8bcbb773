package io.sluice.internal.batch;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * SQL casts that are more than a Java conversion, with Spark's ANSI-mode rules: a string that is
 * not a number fails the cast; numbers to timestamps count seconds; BINARY is UTF-8 to and from
 * strings and big-endian from integers.
 */
public final class Casts {
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Casts() {}

  /** A whole number; a decimal such as {@code '1.5'} is truncated toward zero, as in Spark. */
  public static int toInt(String s) {
    long v = toLong(s, "INT");
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw overflow(s, "INT");
    }
    return (int) v;
  }

  public static long toLong(String s) {
    return toLong(s, "BIGINT");
  }

  private static long toLong(String s, String type) {
    String text = s.trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notWhole) {
      try {
        return new BigDecimal(text).setScale(0, RoundingMode.DOWN).longValueExact();
      } catch (NumberFormatException e) {
        throw invalid(s, type);
      } catch (ArithmeticException e) {
        throw overflow(s, type);
      }
    }
  }

  /** A number, also {@code inf}, {@code infinity} and {@code nan} in any case, as Spark reads. */
  public static double toDouble(String s) {
    String text = s.trim();
    switch (text.toLowerCase(Locale.ROOT)) {
      case "inf":
      case "+inf":
      case "infinity":
      case "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf":
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        break;
    }
    try {
      return Double.parseDouble(text);
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

  /**
   * Parses a timestamp: a date, or a date and time with {@code T} or a space between them,
   * optionally with a zone offset or {@code Z}; without one, UTC.
   */
  public static long toTimestamp(String s) {
    try {
      return parseTimestamp(s.trim());
    } catch (DateTimeException e) {
      throw invalid(s, "TIMESTAMP");
    }
  }

  /**
   * The epoch milliseconds of an ISO-8601 date or date-time (space or {@code T}, offset optional,
   * UTC without one); throws {@link DateTimeException}. Shared by casts and the file sources.
   */
  public static long parseTimestamp(String text) {
    if (text.length() == 10) {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
    String iso = text.length() > 10 && text.charAt(10) == ' '
        ? text.substring(0, 10) + 'T' + text.substring(11)
        : text;
    TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(iso);
    if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
      return Instant.from(parsed).toEpochMilli();
    }
    return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
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

  /** {@code INTERVAL '200 01:02:03.5' DAY TO SECOND}, as Spark prints a day-time interval. */
  public static String intervalToString(long millis) {
    String sign = millis < 0 ? "-" : "";
    long m = Math.abs(millis);
    long days = m / 86_400_000L;
    long rest = m % 86_400_000L;
    String time = String.format(Locale.ROOT, "%02d:%02d:%02d", rest / 3_600_000L,
        rest / 60_000L % 60, rest / 1000 % 60);
    String fraction = rest % 1000 == 0 ? "" : String.format(Locale.ROOT, ".%03d", rest % 1000)
        .replaceAll("0+$", "");
    return "INTERVAL '" + sign + days + " " + time + fraction + "' DAY TO SECOND";
  }

  /**
   * The UTF-8 text of {@code bytes}; a malformed sequence becomes U+FFFD, as Spark's cast reads
   * it, rather than failing the query.
   */
  public static String binaryToString(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public static byte[] stringToBinary(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Spark casts an INT to BINARY as its four bytes, big-endian. */
  public static byte[] intToBinary(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** Spark casts a BIGINT to BINARY as its eight bytes, big-endian. */
  public static byte[] longToBinary(long v) {
    byte[] bytes = new byte[8];
    for (int i = 7; i >= 0; i--) {
      bytes[i] = (byte) v;
      v >>>= 8;
    }
    return bytes;
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
