package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The string options a user gave a source or sink, with case-insensitive keys as in Spark, and
 * typed getters whose errors name the option and the bad value.
 */
public final class Options {
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(b|[kmgt]b?)?");

  private final String owner;
  private final Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** {@code owner} names the connector in messages, e.g. {@code "file source"}. */
  public Options(String owner, Map<String, String> values) {
    this.owner = owner;
    this.values.putAll(values);
  }

  /** The connector the options belong to, as messages name it. */
  public String owner() {
    return owner;
  }

  public @Nullable String get(String key) {
    return values.get(key);
  }

  public String get(String key, String defaultValue) {
    return values.getOrDefault(key, defaultValue);
  }

  public String required(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, owner + " needs option '" + key + "'");
    }
    return value;
  }

  public long getLong(String key, long defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "a whole number");
    }
  }

  public int getInt(String key, int defaultValue) {
    long value = getLong(key, defaultValue);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw invalid(key, Long.toString(value), "a number that fits in an int");
    }
    return (int) value;
  }

  /**
   * A size in bytes: a whole number, optionally with a binary unit as in Spark's byte strings
   * ({@code k}, {@code m}, {@code g}, {@code t}, or with a {@code b} after them: {@code 128m} is
   * 134217728).
   */
  public long getBytes(String key, long defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    Matcher m = BYTES.matcher(value.trim().toLowerCase(Locale.ROOT));
    String expected = "a size in bytes such as 1048576 or 1m (units b, k, m, g, t)";
    if (!m.matches()) {
      throw invalid(key, value, expected);
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift = 10 * "bkmgt".indexOf(unit.charAt(0));
    try {
      long number = Long.parseLong(m.group(1));
      if (number > (Long.MAX_VALUE >> shift)) {
        throw invalid(key, value, expected + " below 8 exbibytes");
      }
      return number << shift;
    } catch (NumberFormatException e) {
      throw invalid(key, value, expected);
    }
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(key, value, "true or false");
    }
  }

  /** An error for option {@code key} whose value is not {@code expected}. */
  public SluiceException invalid(String key, String value, String expected) {
    return new SluiceException(
        ErrorKind.INVALID_OPTION,
        owner + " option '" + key + "' is '" + value + "' but must be " + expected);
  }

  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }
}
