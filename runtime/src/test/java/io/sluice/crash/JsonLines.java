package io.sluice.crash;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** JSON-lines files of flat objects (strings, whole numbers, nulls), as the sinks write them. */
final class JsonLines {
  private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator("\n");

  private JsonLines() {}

  /** Each line of {@code file} as column name to value, in the order of the line. */
  static List<Map<String, @Nullable Object>> read(Path file) {
    List<Map<String, @Nullable Object>> rows = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        rows.add(readObject(parser));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rows;
  }

  private static Map<String, @Nullable Object> readObject(JsonParser parser) throws IOException {
    Map<String, @Nullable Object> row = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      row.put(name, value == JsonToken.VALUE_NUMBER_INT ? Long.valueOf(parser.getLongValue())
          : value == JsonToken.VALUE_NULL ? null : parser.getText());
    }
    return row;
  }

  /** Writes {@code rows} to {@code out}, one object a line, numbers as numbers. */
  static void write(OutputStream out, List<Map<String, @Nullable Object>> rows)
      throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      for (Map<String, @Nullable Object> row : rows) {
        json.writeStartObject();
        for (Map.Entry<String, @Nullable Object> column : row.entrySet()) {
          writeField(json, column.getKey(), column.getValue());
        }
        json.writeEndObject();
      }
      json.writeRaw('\n');
    }
  }

  private static void writeField(JsonGenerator json, String name, @Nullable Object value)
      throws IOException {
    json.writeFieldName(name);
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Long || value instanceof Integer) {
      json.writeNumber(((Number) value).longValue());
    } else {
      json.writeString(value.toString());
    }
  }
}
