package io.sluice.internal.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.RecordCodec;
import io.sluice.api.SluiceException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.jspecify.annotations.Nullable;

/**
 * The type-independent half of the generated {@link RecordCodec}s: their base class, the binary
 * layout of nullable values, and JSON and CSV readers and writers with one method per component
 * type, so that a generated codec is one typed call per component.
 *
 * <p>Method names follow the component's Java type: {@code Long} for {@code long}, {@code
 * NullableLong} for {@code java.lang.Long}, likewise {@code Int}, {@code Double} and {@code
 * Boolean}; {@code String}, {@code Instant} and {@code Bytes} (a {@code byte[]}) are always
 * nullable. CSV has no spelling for bytes: the CSV methods of a codec for a type with a {@code
 * byte[]} component throw {@link #binaryInCsv} instead, as Spark's CSV format refuses a BINARY
 * column.
 */
public final class CodecSupport {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;

  private CodecSupport() {}

  /**
   * The base class of every generated codec. Janino writes no bridge methods, so a class it
   * compiles cannot implement {@code RecordCodec<Click>} with {@code toJson(Click)}: this class,
   * compiled by javac, implements the interface once for every {@code T}, and generated subclasses
   * implement the methods below on {@code Object}, casting to their event type.
   *
   * @param <T> the event type
   */
  public abstract static class GeneratedCodec<T> implements RecordCodec<T> {
    @Override
    public final void writeBinary(T record, DataOutput out) throws IOException {
      encodeBinary(record, out);
    }

    @Override
    @SuppressWarnings("unchecked") // The subclass generated for T constructs a T.
    public final T readBinary(DataInput in) throws IOException {
      return (T) decodeBinary(in);
    }

    @Override
    public final String toJson(T record) {
      return encodeJson(record);
    }

    @Override
    @SuppressWarnings("unchecked")
    public final T fromJson(String json) {
      return (T) decodeJson(json);
    }

    @Override
    public final String toCsv(T record) {
      return encodeCsv(record);
    }

    @Override
    @SuppressWarnings("unchecked")
    public final T fromCsv(String line) {
      return (T) decodeCsv(line);
    }

    protected abstract void encodeBinary(Object record, DataOutput out) throws IOException;

    protected abstract Object decodeBinary(DataInput in) throws IOException;

    protected abstract String encodeJson(Object record);

    protected abstract Object decodeJson(String json);

    protected abstract String encodeCsv(Object record);

    protected abstract Object decodeCsv(String line);
  }

  // ---- Binary: a presence byte, then the value as DataOutput writes it. ----

  public static void writeNullableLong(DataOutput out, @Nullable Long value) throws IOException {
    if (present(out, value)) {
      out.writeLong(value);
    }
  }

  public static void writeNullableInt(DataOutput out, @Nullable Integer value) throws IOException {
    if (present(out, value)) {
      out.writeInt(value);
    }
  }

  public static void writeNullableDouble(DataOutput out, @Nullable Double value)
      throws IOException {
    if (present(out, value)) {
      out.writeDouble(value);
    }
  }

  public static void writeNullableBoolean(DataOutput out, @Nullable Boolean value)
      throws IOException {
    if (present(out, value)) {
      out.writeBoolean(value);
    }
  }

  /** An int byte count and the UTF-8 bytes: unlike {@code writeUTF}, not limited to 64 KB. */
  public static void writeString(DataOutput out, @Nullable String value) throws IOException {
    if (present(out, value)) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  /** An int byte count and the bytes, as a string's UTF-8 is written. */
  public static void writeBytes(DataOutput out, byte @Nullable [] value) throws IOException {
    if (present(out, value)) {
      out.writeInt(value.length);
      out.write(value);
    }
  }

  /** Epoch milliseconds, the engine's precision for timestamps. */
  public static void writeInstant(DataOutput out, @Nullable Instant value) throws IOException {
    if (present(out, value)) {
      out.writeLong(value.toEpochMilli());
    }
  }

  public static @Nullable Long readNullableLong(DataInput in) throws IOException {
    return present(in) ? in.readLong() : null;
  }

  public static @Nullable Integer readNullableInt(DataInput in) throws IOException {
    return present(in) ? in.readInt() : null;
  }

  public static @Nullable Double readNullableDouble(DataInput in) throws IOException {
    return present(in) ? in.readDouble() : null;
  }

  public static @Nullable Boolean readNullableBoolean(DataInput in) throws IOException {
    return present(in) ? in.readBoolean() : null;
  }

  public static @Nullable String readString(DataInput in) throws IOException {
    byte[] utf8 = readBytes(in);
    return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
  }

  public static byte @Nullable [] readBytes(DataInput in) throws IOException {
    if (!present(in)) {
      return null;
    }
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("corrupt record: byte count " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  public static @Nullable Instant readInstant(DataInput in) throws IOException {
    return present(in) ? Instant.ofEpochMilli(in.readLong()) : null;
  }

  private static boolean present(DataOutput out, @Nullable Object value) throws IOException {
    out.writeByte(value == null ? ABSENT : PRESENT);
    return value != null;
  }

  private static boolean present(DataInput in) throws IOException {
    byte presence = in.readByte();
    if (presence != ABSENT && presence != PRESENT) {
      throw new IOException("corrupt record: presence byte " + presence + ", expected 0 or 1");
    }
    return presence == PRESENT;
  }

  // ---- Shared by JSON and CSV. ----

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  static SluiceException malformed(String format, String reason) {
    return new SluiceException(ErrorKind.MALFORMED_RECORD, "malformed " + format + ": " + reason);
  }

  static SluiceException wrongType(String format, String field, DataType type, String found) {
    return malformed(format, "field '" + field + "' expects " + type + " but found " + found);
  }

  /** The error for a BINARY column in CSV, which has no spelling for bytes, as in Spark. */
  public static SluiceException binaryInCsv(String column) {
    return new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "column '" + column
        + "' is BINARY, which CSV cannot hold (Spark's CSV format refuses it too); use JSON,"
        + " where a BINARY is a Base64 string");
  }

  static SluiceException outOfRange(String format, String field, String value, DataType type) {
    return malformed(format, "field '" + field + "' value " + value + " is out of range for "
        + type);
  }

  /** The kind of a JSON value, as an error message names it: "a string", "an object"... */
  public static String describe(@Nullable JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a decimal number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.asString() == null ? token.name() : token.asString();
    }
  }

  /** The names JSON writers (ours included) give non-finite doubles, or null for other text. */
  public static @Nullable Double nonFinite(String text) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
      case "+Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        return null;
    }
  }

  /** Java's spelling, which {@link #nonFinite} and {@code Double.parseDouble} both read back. */
  static String doubleText(double value) {
    return Double.toString(value);
  }

  /**
   * Writes one record as a JSON object, one call per component in order, then {@link #finish}.
   */
  public static final class JsonWriter {
    private final StringWriter text = new StringWriter();
    private final JsonGenerator out;

    public JsonWriter() {
      try {
        out = JSON.createGenerator(text);
        out.writeStartObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // A StringWriter does not fail.
      }
    }

    public void writeLong(String field, long value) {
      try {
        out.writeNumberField(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public void writeInt(String field, int value) {
      try {
        out.writeNumberField(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** JSON has no NaN or infinities: they go in strings, as the engine's file sink writes them. */
    public void writeDouble(String field, double value) {
      try {
        out.writeFieldName(field);
        if (Double.isFinite(value)) {
          out.writeNumber(doubleText(value));
        } else {
          out.writeString(doubleText(value));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public void writeBoolean(String field, boolean value) {
      try {
        out.writeBooleanField(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public void writeNullableLong(String field, @Nullable Long value) {
      if (value == null) {
        writeNull(field);
      } else {
        writeLong(field, value);
      }
    }

    public void writeNullableInt(String field, @Nullable Integer value) {
      if (value == null) {
        writeNull(field);
      } else {
        writeInt(field, value);
      }
    }

    public void writeNullableDouble(String field, @Nullable Double value) {
      if (value == null) {
        writeNull(field);
      } else {
        writeDouble(field, value);
      }
    }

    public void writeNullableBoolean(String field, @Nullable Boolean value) {
      if (value == null) {
        writeNull(field);
      } else {
        writeBoolean(field, value);
      }
    }

    public void writeString(String field, @Nullable String value) {
      try {
        if (value == null) {
          out.writeNullField(field);
        } else {
          out.writeStringField(field, value);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** ISO-8601, e.g. {@code 2024-01-01T00:00:00Z}. */
    public void writeInstant(String field, @Nullable Instant value) {
      writeString(field, value == null ? null : value.toString());
    }

    /** A Base64 string, as Spark's JSON writer spells a BINARY. */
    public void writeBytes(String field, byte @Nullable [] value) {
      writeString(field, value == null ? null : Base64.getEncoder().encodeToString(value));
    }

    /** The JSON object written so far, closed. */
    public String finish() {
      try {
        out.writeEndObject();
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return text.toString();
    }

    private void writeNull(String field) {
      try {
        out.writeNullField(field);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Reads one JSON object field by field: {@link #nextField} until it returns null, one typed
   * read (or {@link #skipValue}) after each. Every value is read nullable; {@code requiredLong} and
   * the like then reject a missing or null primitive.
   */
  public static final class JsonReader {
    private static final String FORMAT = "JSON";

    private final JsonParser in;

    public JsonReader(String json) {
      try {
        in = JSON.createParser(json);
        JsonToken first = in.nextToken();
        if (first != JsonToken.START_OBJECT) {
          throw malformed(FORMAT, "expected a JSON object but found " + describe(first));
        }
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    /** The name of the next field, with the reader on its value; null after the last one. */
    public @Nullable String nextField() {
      try {
        JsonToken token = in.nextToken();
        if (token == JsonToken.FIELD_NAME) {
          String name = in.currentName();
          in.nextToken();
          return name;
        }
        if (in.nextToken() != null) {
          throw malformed(FORMAT, "unexpected text after the JSON object");
        }
        in.close();
        return null;
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    /** Skips the value of a field the record does not have, nested or not. */
    public void skipValue() {
      try {
        in.skipChildren();
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    public @Nullable Long readNullableLong(String field) {
      return isNull() ? null : longValue(field, DataType.LONG);
    }

    public @Nullable Integer readNullableInt(String field) {
      if (isNull()) {
        return null;
      }
      expect(field, DataType.INT, JsonToken.VALUE_NUMBER_INT);
      try {
        if (in.getNumberType() != JsonParser.NumberType.INT) {
          throw outOfRange(FORMAT, field, in.getText(), DataType.INT);
        }
        return in.getIntValue();
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    /** A number, or one of the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    public @Nullable Double readNullableDouble(String field) {
      if (isNull()) {
        return null;
      }
      try {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          return in.getDoubleValue();
        }
        Double nonFinite = token == JsonToken.VALUE_STRING ? nonFinite(in.getText()) : null;
        if (nonFinite == null) {
          throw wrongType(FORMAT, field, DataType.DOUBLE, describe(token));
        }
        return nonFinite;
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    public @Nullable Boolean readNullableBoolean(String field) {
      if (isNull()) {
        return null;
      }
      JsonToken token = in.currentToken();
      if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
        throw wrongType(FORMAT, field, DataType.BOOLEAN, describe(token));
      }
      return token == JsonToken.VALUE_TRUE;
    }

    public @Nullable String readString(String field) {
      return isNull() ? null : text(field, DataType.STRING);
    }

    /** A Base64 string. */
    public byte @Nullable [] readBytes(String field) {
      if (isNull()) {
        return null;
      }
      String text = text(field, DataType.BINARY);
      try {
        return Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw wrongType(FORMAT, field, DataType.BINARY, quote(text) + " (expected Base64)");
      }
    }

    /** Epoch milliseconds, or an ISO-8601 instant such as {@code 2024-01-01T00:00:00Z}. */
    public @Nullable Instant readInstant(String field) {
      if (isNull()) {
        return null;
      }
      if (in.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return Instant.ofEpochMilli(longValue(field, DataType.TIMESTAMP));
      }
      return parseInstant(FORMAT, field, text(field, DataType.TIMESTAMP));
    }

    public long requiredLong(@Nullable Long value, String field) {
      return required(value, field, DataType.LONG);
    }

    public int requiredInt(@Nullable Integer value, String field) {
      return required(value, field, DataType.INT);
    }

    public double requiredDouble(@Nullable Double value, String field) {
      return required(value, field, DataType.DOUBLE);
    }

    public boolean requiredBoolean(@Nullable Boolean value, String field) {
      return required(value, field, DataType.BOOLEAN);
    }

    private static <T> T required(@Nullable T value, String field, DataType type) {
      if (value == null) {
        throw malformed(FORMAT, "field '" + field + "' (" + type + " NOT NULL) is missing or null");
      }
      return value;
    }

    private boolean isNull() {
      return in.currentToken() == JsonToken.VALUE_NULL;
    }

    private long longValue(String field, DataType type) {
      expect(field, type, JsonToken.VALUE_NUMBER_INT);
      try {
        if (in.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw outOfRange(FORMAT, field, in.getText(), type);
        }
        return in.getLongValue();
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    private String text(String field, DataType type) {
      expect(field, type, JsonToken.VALUE_STRING);
      try {
        return in.getText();
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    private void expect(String field, DataType type, JsonToken expected) {
      if (in.currentToken() != expected) {
        throw wrongType(FORMAT, field, type, describe(in.currentToken()));
      }
    }

    private static SluiceException invalid(IOException e) {
      String reason = e instanceof JsonProcessingException json
          ? json.getOriginalMessage() : e.getMessage();
      return new SluiceException(ErrorKind.MALFORMED_RECORD, "malformed JSON: " + reason, e);
    }
  }

  /**
   * Writes one record as a CSV line, one call per component in order, then {@link #toString}.
   * Null is an empty field; a string is quoted when it is empty (so that it reads back as the
   * empty string, not null) or holds a comma, quote, line break or surrounding space.
   */
  public static final class CsvWriter {
    private final StringBuilder line = new StringBuilder();
    private boolean first = true;

    public void writeLong(long value) {
      next().append(value);
    }

    public void writeInt(int value) {
      next().append(value);
    }

    public void writeDouble(double value) {
      next().append(doubleText(value));
    }

    public void writeBoolean(boolean value) {
      next().append(value);
    }

    public void writeNullableLong(@Nullable Long value) {
      next().append(value == null ? "" : value.toString());
    }

    public void writeNullableInt(@Nullable Integer value) {
      next().append(value == null ? "" : value.toString());
    }

    public void writeNullableDouble(@Nullable Double value) {
      next().append(value == null ? "" : doubleText(value));
    }

    public void writeNullableBoolean(@Nullable Boolean value) {
      next().append(value == null ? "" : value.toString());
    }

    public void writeString(@Nullable String value) {
      StringBuilder out = next();
      if (value == null) {
        return;
      }
      if (!needsQuotes(value)) {
        out.append(value);
        return;
      }
      out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }

    /** ISO-8601, e.g. {@code 2024-01-01T00:00:00Z}. */
    public void writeInstant(@Nullable Instant value) {
      next().append(value == null ? "" : value.toString());
    }

    /** The line written so far, without a line break. */
    @Override
    public String toString() {
      return line.toString();
    }

    private StringBuilder next() {
      if (!first) {
        line.append(',');
      }
      first = false;
      return line;
    }

    private static boolean needsQuotes(String value) {
      if (value.isEmpty() || Character.isWhitespace(value.charAt(0))
          || Character.isWhitespace(value.charAt(value.length() - 1))) {
        return true;
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The fields of one CSV line, read by position: an empty unquoted field is null, {@code ""} the
   * empty string; a primitive component's field must not be empty.
   */
  public static final class CsvReader {
    private static final String FORMAT = "CSV";
    // A null string "" plus a strict quote mode makes Commons CSV tell an empty unquoted field
    // (null) from a quoted empty one (the empty string), as the engine's CSV source does.
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder()
        .setNullString("")
        .setQuoteMode(QuoteMode.ALL_NON_NULL)
        .get();

    private final @Nullable String[] fields;

    /** Splits {@code line}, which must have exactly {@code expected} fields. */
    public CsvReader(String line, int expected) {
      fields = line.isEmpty() ? new @Nullable String[] {null} : split(line);
      if (fields.length != expected) {
        throw malformed(FORMAT, "expected " + expected + " fields but found " + fields.length);
      }
    }

    public long readLong(int index, String field) {
      String text = required(index, field, DataType.LONG).trim();
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw numberError(field, text, DataType.LONG);
      }
    }

    public int readInt(int index, String field) {
      String text = required(index, field, DataType.INT).trim();
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw numberError(field, text, DataType.INT);
      }
    }

    /** A plain decimal, or {@code NaN}, {@code Infinity}, {@code -Infinity}. */
    public double readDouble(int index, String field) {
      String text = required(index, field, DataType.DOUBLE).trim();
      // Double.parseDouble also takes "1d" and "0x1p3": more likely typos than data here.
      if (DECIMAL.matcher(text).matches()) {
        return Double.parseDouble(text);
      }
      Double nonFinite = nonFinite(text);
      if (nonFinite == null) {
        throw wrongType(FORMAT, field, DataType.DOUBLE, quote(text));
      }
      return nonFinite;
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean readBoolean(int index, String field) {
      String text = required(index, field, DataType.BOOLEAN).trim();
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          throw wrongType(FORMAT, field, DataType.BOOLEAN, quote(text));
      }
    }

    public @Nullable Long readNullableLong(int index, String field) {
      return fields[index] == null ? null : readLong(index, field);
    }

    public @Nullable Integer readNullableInt(int index, String field) {
      return fields[index] == null ? null : readInt(index, field);
    }

    public @Nullable Double readNullableDouble(int index, String field) {
      return fields[index] == null ? null : readDouble(index, field);
    }

    public @Nullable Boolean readNullableBoolean(int index, String field) {
      return fields[index] == null ? null : readBoolean(index, field);
    }

    /** The field as written: not trimmed, null only when empty and unquoted. */
    public @Nullable String readString(int index, String field) {
      return fields[index];
    }

    /** An ISO-8601 instant such as {@code 2024-01-01T00:00:00Z}, or epoch milliseconds. */
    public @Nullable Instant readInstant(int index, String field) {
      String text = fields[index];
      if (text == null) {
        return null;
      }
      String trimmed = text.trim();
      if (trimmed.matches("[+-]?\\d+")) {
        try {
          return Instant.ofEpochMilli(Long.parseLong(trimmed));
        } catch (NumberFormatException e) {
          throw outOfRange(FORMAT, field, trimmed, DataType.TIMESTAMP);
        }
      }
      return parseInstant(FORMAT, field, trimmed);
    }

    private String required(int index, String field, DataType type) {
      String text = fields[index];
      if (text == null) {
        throw malformed(FORMAT, "field '" + field + "' (" + type + " NOT NULL) is empty");
      }
      return text;
    }

    private static SluiceException numberError(String field, String text, DataType type) {
      return text.matches("[+-]?\\d+")
          ? outOfRange(FORMAT, field, text, type)
          : wrongType(FORMAT, field, type, quote(text));
    }

    private static @Nullable String[] split(String line) {
      try (CSVParser parser = CSVParser.parse(line, CSV)) {
        List<CSVRecord> records = parser.getRecords();
        if (records.size() != 1) {
          throw malformed(FORMAT, "expected one CSV record but found " + records.size());
        }
        return records.get(0).values();
      } catch (IOException e) {
        throw malformed(FORMAT, "not valid CSV: " + e.getMessage());
      } catch (UncheckedIOException e) {
        throw malformed(FORMAT, "not valid CSV: " + e.getCause().getMessage());
      }
    }
  }

  static Instant parseInstant(String format, String field, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw wrongType(format, field, DataType.TIMESTAMP,
          quote(text) + " (expected an ISO-8601 instant such as 2024-01-01T00:00:00Z)");
    }
  }

  static String quote(String text) {
    return "'" + text + "'";
  }
}
