package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.batch.CodecSupport;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts the text of one field to its column's type: every CSV field, and the JSON strings that
 * stand for timestamps, intervals and non-finite doubles.
 */
final class TextValues {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final TimestampParser timestamps;
  /** By column: a BIGINT of epoch milliseconds that also takes timestamp text. */
  private final boolean[] epochMillis;

  TextValues(TimestampParser timestamps, boolean[] epochMillis) {
    this.timestamps = timestamps;
    this.epochMillis = epochMillis;
  }

  /**
   * The converter for rows of {@code schema}, whose BIGINT columns {@code epochMillisTimes} are
   * event times in epoch milliseconds that also take timestamp text.
   */
  static TextValues of(Schema schema, TimestampParser timestamps, Set<String> epochMillisTimes) {
    boolean[] epochMillis = new boolean[schema.size()];
    for (int c = 0; c < schema.size(); c++) {
      Field field = schema.field(c);
      epochMillis[c] = field.type() == DataType.LONG && epochMillisTimes.contains(field.name());
    }
    return new TextValues(timestamps, epochMillis);
  }

  /** Whether column {@code column} is an event time in epoch milliseconds. */
  boolean epochMillis(int column) {
    return epochMillis[column];
  }

  /** Parses {@code text} as column {@code column}'s type and stores it in {@code row}. */
  void set(RowScratch row, int column, String text) throws BadRecordException {
    Field field = row.field(column);
    switch (field.type()) {
      case STRING:
        row.setString(column, text);
        break;
      case INT:
        row.setLong(column, parseInt(field, text.trim()));
        break;
      case LONG:
        // An event time of epoch milliseconds takes a number, or timestamp text as a TIMESTAMP.
        row.setLong(column, epochMillis(column) && !looksNumeric(text.trim())
            ? parseTimestamp(field, text) : parseLong(field, text.trim()));
        break;
      case DOUBLE:
        row.setDouble(column, parseDouble(field, text.trim()));
        break;
      case BOOLEAN:
        row.setBoolean(column, parseBoolean(field, text.trim()));
        break;
      case TIMESTAMP:
        row.setLong(column, parseTimestamp(field, text));
        break;
      case INTERVAL:
        row.setLong(column, parseInterval(field, text.trim()));
        break;
      default:
        throw new BadRecordException(
            "field '" + field.name() + "' has unsupported type " + field.type());
    }
  }

  /** Timestamp text, of a TIMESTAMP column or an event time of epoch milliseconds. */
  long parseTimestamp(Field field, String text) throws BadRecordException {
    try {
      return timestamps.parse(text);
    } catch (DateTimeException e) {
      throw BadRecordException.wrongType(
          field.name(),
          DataType.TIMESTAMP,
          quote(text) + " (expected " + timestamps.description() + ")");
    }
  }

  /** An ISO-8601 duration such as {@code PT5S}, or a whole number of milliseconds. */
  static long parseInterval(Field field, String text) throws BadRecordException {
    try {
      return looksNumeric(text) ? Long.parseLong(text) : Duration.parse(text).toMillis();
    } catch (RuntimeException e) {
      throw BadRecordException.wrongType(
          field.name(), field.type(), quote(text) + " (expected e.g. PT5S or milliseconds)");
    }
  }

  /** Base64 text, as JSON holds a binary; anything else makes the record bad. */
  static byte[] parseBase64(Field field, String text) throws BadRecordException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw BadRecordException.wrongType(field.name(), field.type(), quote(text)
          + " (expected Base64)");
    }
  }

  /** Parses the names JSON writers use for non-finite numbers; anything else is not a double. */
  static double parseNonFinite(Field field, String text) throws BadRecordException {
    Double value = CodecSupport.nonFinite(text);
    if (value == null) {
      throw BadRecordException.wrongType(field.name(), field.type(), "a string");
    }
    return value;
  }


  private static int parseInt(Field field, String text) throws BadRecordException {
    long value = parseLong(field, text);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw BadRecordException.outOfRange(field.name(), text, field.type());
    }
    return (int) value;
  }

  private static long parseLong(Field field, String text) throws BadRecordException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      if (looksNumeric(text)) {
        throw BadRecordException.outOfRange(field.name(), text, field.type());
      }
      throw BadRecordException.wrongType(field.name(), field.type(), quote(text));
    }
  }

  private static double parseDouble(Field field, String text) throws BadRecordException {
    // Double.parseDouble also takes "1d" and "0x1p3"; only plain decimals and the names JSON
    // writers use for non-finite values are data here, anything else is more likely a typo.
    if (DECIMAL.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    try {
      return parseNonFinite(field, text);
    } catch (BadRecordException e) {
      throw BadRecordException.wrongType(field.name(), field.type(), quote(text));
    }
  }

  private static boolean parseBoolean(Field field, String text) throws BadRecordException {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw BadRecordException.wrongType(field.name(), field.type(), quote(text));
    }
  }

  /** Whether {@code text} is an optionally signed run of digits, e.g. too long for a long. */
  private static boolean looksNumeric(String text) {
    int start = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
    if (start == text.length()) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      if (!Character.isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static String quote(String text) {
    return "'" + text + "'";
  }
}
