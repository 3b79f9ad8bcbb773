package io.sluice.internal.batch;

import org.jspecify.annotations.Nullable;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The built-in scalar SQL functions, as static methods that generated code calls directly.
 *
 * <p>Arguments are never null: a call with a null argument is null without reaching these
 * methods. Results follow Spark SQL in ANSI mode: {@code substring} counts from 1 and from the end
 * for negative positions, {@code round} rounds half away from zero, overflow and unparsable text
 * fail the query. Timestamps are epoch milliseconds read in UTC. Methods whose SQL overloads differ
 * only in argument types have distinct Java names ({@code absInt}, {@code absLong}), so that the
 * call never depends on Java's overload resolution.
 */
public final class SqlFunctions {
  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final int MAX_CACHED_PATTERNS = 128;
  private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private SqlFunctions() {}

  // ---- strings

  public static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Characters (code points), like Spark, not UTF-16 units. */
  public static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Removes leading and trailing spaces (only U+0020, like Spark). */
  public static String trim(String s) {
    return rtrim(ltrim(s));
  }

  public static String ltrim(String s) {
    int start = 0;
    while (start < s.length() && s.charAt(start) == ' ') {
      start++;
    }
    return s.substring(start);
  }

  public static String rtrim(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }

  /** {@code substring(s, pos)}: from the 1-based position {@code pos} to the end. */
  public static String substring(String s, int pos) {
    return substring(s, pos, Integer.MAX_VALUE);
  }

  /**
   * Spark's {@code substring(s, pos, len)}: {@code pos} counts from 1; 0 means 1; a negative
   * {@code pos} counts from the end. Positions outside the string give an empty or shorter result,
   * never an error.
   */
  public static String substring(String s, int pos, int len) {
    int chars = length(s);
    long start = pos > 0 ? pos - 1L : pos < 0 ? (long) chars + pos : 0L;
    long end = Math.min(start + len, chars);
    start = Math.max(start, 0L);
    if (start >= end) {
      return "";
    }
    int from = s.offsetByCodePoints(0, (int) start);
    return s.substring(from, s.offsetByCodePoints(from, (int) (end - start)));
  }

  /** Replaces every occurrence; an empty {@code search} changes nothing, like Spark. */
  public static String replace(String s, String search, String replacement) {
    return search.isEmpty() ? s : s.replace(search, replacement);
  }

  public static String replace(String s, String search) {
    return replace(s, search, "");
  }

  public static boolean startsWith(String s, String prefix) {
    return s.startsWith(prefix);
  }

  public static boolean endsWith(String s, String suffix) {
    return s.endsWith(suffix);
  }

  public static boolean contains(String s, String part) {
    return s.contains(part);
  }

  // ---- binary (byte[]) and its text forms

  /** Bytes, not characters, as Spark's {@code length} of a BINARY. */
  public static int binaryLength(byte[] b) {
    return b.length;
  }

  /** Standard Base64 with padding and no line breaks, as Spark's {@code base64}. */
  public static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** Spark's {@code base64} of a string: of its UTF-8 bytes. */
  public static String stringBase64(String s) {
    return base64(Casts.stringToBinary(s));
  }

  /**
   * Decodes Base64 as Spark's {@code unbase64} does, with the MIME decoder, which skips characters
   * outside the alphabet such as line breaks; text it cannot decode fails the query.
   */
  public static byte[] unbase64(String s) {
    try {
      return Base64.getMimeDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new SluiceException(ErrorKind.EXECUTION,
          "unbase64 cannot decode '" + s + "': " + e.getMessage(), e);
    }
  }

  /** Two upper-case hex digits per byte, as Spark's {@code hex}. */
  public static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  /** Spark's {@code hex} of a string: of its UTF-8 bytes. */
  public static String stringHex(String s) {
    return hex(Casts.stringToBinary(s));
  }

  /** Spark's {@code hex} of a number: its two's complement digits, {@code hex(-1)} sixteen Fs. */
  public static String longHex(long x) {
    return Long.toHexString(x).toUpperCase(Locale.ROOT);
  }

  /**
   * The bytes of hex digits in either case, as Spark's {@code unhex}: an odd count reads as if led
   * by a 0; null (not an error) when a character is not a hex digit.
   */
  public static byte @Nullable [] unhex(String s) {
    byte[] out = new byte[(s.length() + 1) / 2];
    int odd = s.length() % 2;
    for (int i = 0; i < s.length(); i++) {
      int digit = hexDigit(s.charAt(i));
      if (digit < 0) {
        return null;
      }
      int at = (i + odd) / 2;
      out[at] = (byte) ((i + odd) % 2 == 0 ? digit << 4 : out[at] | digit);
    }
    return out;
  }

  /** ASCII hex digits only: {@code Character.digit} would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  // ---- numbers

  public static int absInt(int x) {
    if (x == Integer.MIN_VALUE) {
      throw overflow("abs(" + x + ")", "INT");
    }
    return Math.abs(x);
  }

  public static long absLong(long x) {
    if (x == Long.MIN_VALUE) {
      throw overflow("abs(" + x + ")", "BIGINT");
    }
    return Math.abs(x);
  }

  public static double absDouble(double x) {
    return Math.abs(x);
  }

  public static int roundInt(int x) {
    return x;
  }

  /** A negative {@code scale} rounds to tens, hundreds...: {@code round(125, -1)} is 130. */
  public static int roundInt(int x, int scale) {
    long rounded = roundLong(x, scale);
    if (rounded != (int) rounded) {
      throw overflow("round(" + x + ", " + scale + ")", "INT");
    }
    return (int) rounded;
  }

  public static long roundLong(long x) {
    return x;
  }

  public static long roundLong(long x, int scale) {
    if (scale >= 0) {
      return x;
    }
    try {
      return BigDecimal.valueOf(x).setScale(scale, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException e) {
      throw overflow("round(" + x + ", " + scale + ")", "BIGINT");
    }
  }

  public static double roundDouble(double x) {
    return roundDouble(x, 0);
  }

  /**
   * Rounds half away from zero at {@code scale} decimal places, on the decimal text of {@code x}
   * as Spark does, so {@code round(2.5)} is 3.0 and {@code round(0.285, 2)} is 0.29.
   */
  public static double roundDouble(double x, int scale) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    return BigDecimal.valueOf(x).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }

  public static long floorLong(long x) {
    return x;
  }

  /** Spark's floor of a DOUBLE is a BIGINT; out-of-range values fail rather than saturate. */
  public static long floorDouble(double x) {
    return toLong(Math.floor(x), "floor");
  }

  public static long ceilLong(long x) {
    return x;
  }

  public static long ceilDouble(double x) {
    return toLong(Math.ceil(x), "ceil");
  }

  public static double sqrt(double x) {
    return Math.sqrt(x);
  }

  public static double pow(double x, double y) {
    return Math.pow(x, y);
  }

  public static double exp(double x) {
    return Math.exp(x);
  }

  /** Natural logarithm; null (not NaN or -Infinity) for {@code x <= 0}, as in Spark. */
  public static @Nullable Double ln(double x) {
    return x <= 0 ? null : Math.log(x);
  }

  public static @Nullable Double log(double base, double x) {
    return base <= 0 || x <= 0 ? null : Math.log(x) / Math.log(base);
  }

  public static @Nullable Double log10(double x) {
    return x <= 0 ? null : Math.log10(x);
  }

  public static @Nullable Double log2(double x) {
    return x <= 0 ? null : Math.log(x) / Math.log(2.0);
  }

  public static double signum(double x) {
    return Math.signum(x);
  }

  // ---- timestamps (epoch milliseconds, UTC)

  public static int year(long millis) {
    return date(millis).getYear();
  }

  public static int month(long millis) {
    return date(millis).getMonthValue();
  }

  public static int dayOfMonth(long millis) {
    return date(millis).getDayOfMonth();
  }

  public static int hour(long millis) {
    return (int) (Math.floorMod(millis, MILLIS_PER_DAY) / 3_600_000L);
  }

  public static int minute(long millis) {
    return (int) (Math.floorMod(millis, 3_600_000L) / 60_000L);
  }

  public static int second(long millis) {
    return (int) (Math.floorMod(millis, 60_000L) / 1_000L);
  }

  /** Like {@code CAST(s AS TIMESTAMP)}: ISO-8601 or {@code yyyy-MM-dd[ HH:mm:ss[.SSS]]}, UTC. */
  public static long toTimestamp(String s) {
    return Casts.toTimestamp(s);
  }

  /**
   * Parses {@code s} with a {@link DateTimeFormatter} pattern. Text without a zone is UTC; text
   * without a time is midnight.
   */
  public static long toTimestamp(String s, String pattern) {
    try {
      return epochMillis(formatter(pattern).parse(s.trim()));
    } catch (DateTimeException e) {
      throw new SluiceException(ErrorKind.EXECUTION, "cannot parse '" + s
          + "' as a TIMESTAMP with pattern '" + pattern + "': " + e.getMessage(), e);
    }
  }

  /** Formats in UTC with a {@link DateTimeFormatter} pattern. */
  public static String dateFormat(long millis, String pattern) {
    try {
      return formatter(pattern).format(Instant.ofEpochMilli(millis));
    } catch (DateTimeException e) {
      throw new SluiceException(ErrorKind.EXECUTION, "cannot format a TIMESTAMP with pattern '"
          + pattern + "': " + e.getMessage(), e);
    }
  }

  /** Whole seconds since the epoch, rounded down. */
  public static long unixSeconds(long millis) {
    return Math.floorDiv(millis, 1_000L);
  }

  public static long unixMillis(long millis) {
    return millis;
  }

  public static long timestampMillis(long millis) {
    return millis;
  }

  public static long timestampSeconds(long seconds) {
    try {
      return Math.multiplyExact(seconds, 1_000L);
    } catch (ArithmeticException e) {
      throw overflow("timestamp_seconds(" + seconds + ")", "TIMESTAMP");
    }
  }

  private static LocalDate date(long millis) {
    return LocalDate.ofEpochDay(Math.floorDiv(millis, MILLIS_PER_DAY));
  }

  private static long epochMillis(TemporalAccessor parsed) {
    if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
      return Instant.from(parsed).toEpochMilli();
    }
    LocalDate date = parsed.query(TemporalQueries.localDate());
    if (date == null) {
      throw new DateTimeException("the pattern has no date");
    }
    LocalTime time = parsed.query(TemporalQueries.localTime());
    ZoneId zone = parsed.query(TemporalQueries.zone());
    return date.atTime(time == null ? LocalTime.MIDNIGHT : time)
        .atZone(zone == null ? ZoneOffset.UTC : zone).toInstant().toEpochMilli();
  }

  /**
   * Patterns may come from a column, so the cache is bounded: it is simply emptied when full,
   * which costs a few re-compilations and never grows without limit.
   */
  private static DateTimeFormatter formatter(String pattern) {
    DateTimeFormatter cached = FORMATTERS.get(pattern);
    if (cached != null) {
      return cached;
    }
    DateTimeFormatter created;
    try {
      created = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      throw new SluiceException(ErrorKind.EXECUTION,
          "invalid datetime pattern '" + pattern + "': " + e.getMessage(), e);
    }
    if (FORMATTERS.size() >= MAX_CACHED_PATTERNS) {
      FORMATTERS.clear();
    }
    FORMATTERS.put(pattern, created);
    return created;
  }

  private static long toLong(double x, String function) {
    if (Double.isNaN(x) || x < -9.223372036854775808E18 || x >= 9.223372036854775808E18) {
      throw overflow(function + "(" + x + ")", "BIGINT");
    }
    return (long) x;
  }

  private static SluiceException overflow(String call, String type) {
    return new SluiceException(ErrorKind.ARITHMETIC, call + " is out of range for " + type);
  }
}
