package io.sluice.internal.connector;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.sluice.api.DataType;
import io.sluice.api.Schema;
import io.sluice.api.TimeWindow;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.ColumnVector;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/**
 * Writes rows of a chunk as JSON lines that {@link JsonLineDecoder} reads back to the same values.
 *
 * <p>Nulls are written as {@code null}; timestamps as ISO-8601 instants ({@code
 * 2024-01-01T00:00:00Z}); intervals as ISO-8601 durations ({@code PT5S}); doubles as Java prints
 * them, with NaN and the infinities in strings because JSON has no spelling for them; binaries as
 * Base64 strings, as Spark's JSON writer does.
 */
final class JsonRowWriter {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final DataType[] types;
  private final SerializedString[] names;

  JsonRowWriter(Schema schema) {
    this.types = new DataType[schema.size()];
    this.names = new SerializedString[schema.size()];
    for (int c = 0; c < types.length; c++) {
      types[c] = schema.field(c).type();
      names[c] = new SerializedString(schema.field(c).name());
    }
  }

  /** Writes row {@code row} of {@code chunk} and a line break. */
  void write(JsonGenerator out, ColumnBatch chunk, int row) throws IOException {
    out.writeStartObject();
    for (int c = 0; c < types.length; c++) {
      out.writeFieldName(names[c]);
      ColumnVector column = chunk.column(c);
      if (column.isNull(row)) {
        out.writeNull();
      } else {
        writeValue(out, chunk, c, row);
      }
    }
    out.writeEndObject();
    out.writeRaw('\n');
  }

  private void writeValue(JsonGenerator out, ColumnBatch chunk, int c, int row) throws IOException {
    switch (types[c]) {
      case INT:
        out.writeNumber(chunk.ints(c).get(row));
        break;
      case LONG:
        out.writeNumber(chunk.longs(c).get(row));
        break;
      case DOUBLE:
        writeDouble(out, chunk.doubles(c).get(row));
        break;
      case BOOLEAN:
        out.writeBoolean(chunk.booleans(c).get(row));
        break;
      case TIMESTAMP:
        out.writeString(timestamp(chunk.longs(c).get(row)));
        break;
      case WINDOW:
        // Spark's struct<start, end> as a nested object.
        TimeWindow window = (TimeWindow) chunk.objects(c).get(row);
        out.writeStartObject();
        out.writeStringField("start", timestamp(window.start()));
        out.writeStringField("end", timestamp(window.end()));
        out.writeEndObject();
        break;
      case INTERVAL:
        out.writeString(Duration.ofMillis(chunk.longs(c).get(row)).toString());
        break;
      case BINARY:
        out.writeString(Base64.getEncoder().encodeToString((byte[]) chunk.objects(c).get(row)));
        break;
      default:
        out.writeString(String.valueOf(chunk.objects(c).get(row)));
        break;
    }
  }

  /** As Spark's JSON writer: {@code 2024-01-01T00:00:00.000Z}, always with milliseconds. */
  private static String timestamp(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  private static void writeDouble(JsonGenerator out, double value) throws IOException {
    if (Double.isFinite(value)) {
      out.writeNumber(Double.toString(value));
    } else {
      out.writeString(Double.toString(value));
    }
  }
}
