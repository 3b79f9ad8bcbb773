package io.sluice.internal.connector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.batch.CodecSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes JSON lines: one object per line, its fields matched to columns by name (exactly, else
 * ignoring case), fields the schema does not name ignored.
 *
 * <p>Types are checked, not coerced: {@code "5"} is not an INT and {@code 5.0} is not a BIGINT, so
 * that a producer's mistake shows up as a bad record instead of as quietly changed data.
 * Timestamps are epoch milliseconds or text, and so is a BIGINT event time of epoch milliseconds
 * (a {@code long} marked {@code @EventTime}); intervals are milliseconds or ISO-8601 durations;
 * binaries are Base64 strings, as Spark reads them. Nested objects and arrays are bad records for
 * now.
 */
final class JsonLineDecoder implements RecordDecoder {
  /** Bounds the name cache when records carry arbitrary keys the schema does not name. */
  private static final int MAX_CACHED_NAMES = 1024;

  private final JsonFactory factory = new JsonFactory();
  private final Schema schema;
  private final TextValues text;
  private final Map<String, Integer> columnByName = new HashMap<>();

  JsonLineDecoder(Schema schema, TextValues text) {
    this.schema = schema;
    this.text = text;
  }

  @Override
  public void startFile(Path file) {}

  @Override
  public boolean decode(String line, RowScratch row) throws BadRecordException {
    try (JsonParser parser = factory.createParser(line)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new BadRecordException("expected a JSON object but found " + describe(first));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        int column = column(parser.currentName());
        JsonToken value = parser.nextToken();
        if (column < 0) {
          parser.skipChildren();
        } else {
          set(parser, value, row, column);
        }
      }
      if (parser.nextToken() != null) {
        throw new BadRecordException("unexpected text after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new BadRecordException("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      // Reading from a String fails only on bad input.
      throw new BadRecordException("not valid JSON: " + e.getMessage());
    }
    row.completeMissing();
    return true;
  }

  private int column(String name) {
    Integer cached = columnByName.get(name);
    if (cached != null) {
      return cached;
    }
    int column = schema.indexOf(name).orElse(-1);
    if (columnByName.size() < MAX_CACHED_NAMES) {
      columnByName.put(name, column);
    }
    return column;
  }

  private void set(JsonParser parser, JsonToken token, RowScratch row, int column)
      throws IOException, BadRecordException {
    Field field = row.field(column);
    if (token == JsonToken.VALUE_NULL) {
      row.setNull(column);
      return;
    }
    switch (field.type()) {
      case INT:
        expect(field, token, JsonToken.VALUE_NUMBER_INT);
        if (parser.getNumberType() != JsonParser.NumberType.INT) {
          throw BadRecordException.outOfRange(field.name(), parser.getText(), field.type());
        }
        row.setLong(column, parser.getIntValue());
        break;
      case LONG:
        // An event time of epoch milliseconds takes a number, or timestamp text as a TIMESTAMP.
        row.setLong(
            column,
            token == JsonToken.VALUE_STRING && text.epochMillis(column)
                ? text.parseTimestamp(field, parser.getText())
                : longValue(parser, token, field));
        break;
      case DOUBLE:
        row.setDouble(column, doubleValue(parser, token, field));
        break;
      case BOOLEAN:
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw BadRecordException.wrongType(field.name(), field.type(), describe(token));
        }
        row.setBoolean(column, token == JsonToken.VALUE_TRUE);
        break;
      case STRING:
        expect(field, token, JsonToken.VALUE_STRING);
        row.setString(column, parser.getText());
        break;
      case TIMESTAMP:
        row.setLong(
            column,
            token == JsonToken.VALUE_STRING
                ? text.parseTimestamp(field, parser.getText())
                : longValue(parser, token, field));
        break;
      case INTERVAL:
        row.setLong(
            column,
            token == JsonToken.VALUE_STRING
                ? TextValues.parseInterval(field, parser.getText())
                : longValue(parser, token, field));
        break;
      case BINARY:
        expect(field, token, JsonToken.VALUE_STRING);
        row.setBytes(column, TextValues.parseBase64(field, parser.getText()));
        break;
      default:
        throw new BadRecordException(
            "field '" + field.name() + "' has unsupported type " + field.type());
    }
  }

  private static long longValue(JsonParser parser, JsonToken token, Field field)
      throws IOException, BadRecordException {
    expect(field, token, JsonToken.VALUE_NUMBER_INT);
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw BadRecordException.outOfRange(field.name(), parser.getText(), field.type());
    }
    return parser.getLongValue();
  }

  private static double doubleValue(JsonParser parser, JsonToken token, Field field)
      throws IOException, BadRecordException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDoubleValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      // JSON has no NaN or Infinity; writers (ours included) put them in strings.
      return TextValues.parseNonFinite(field, parser.getText());
    }
    throw BadRecordException.wrongType(field.name(), field.type(), describe(token));
  }

  private static void expect(Field field, JsonToken actual, JsonToken expected)
      throws BadRecordException {
    if (actual != expected) {
      throw BadRecordException.wrongType(field.name(), field.type(), describe(actual));
    }
  }

  /** The kind of a JSON value, as an error message names it. */
  static String describe(@Nullable JsonToken token) {
    return CodecSupport.describe(token);
  }
}
