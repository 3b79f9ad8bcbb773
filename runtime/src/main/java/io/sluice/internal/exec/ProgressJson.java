package io.sluice.internal.exec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.sluice.api.SourceProgress;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQueryProgress;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes progress as JSON in the layout of Spark's {@code StreamingQueryProgress.json}: its
 * fields in its order, map keys sorted and empty maps left out, as Spark writes them.
 */
public final class ProgressJson {
  private static final JsonFactory JSON = new JsonFactory();

  private ProgressJson() {}

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** Epoch ms as progress writes times, as Spark does: {@code 2024-01-01T00:00:00.000Z}. */
  public static String timestamp(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String write(StreamingQueryProgress p, boolean pretty) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      g.writeStartObject();
      g.writeStringField("id", p.id().toString());
      g.writeStringField("runId", p.runId().toString());
      g.writeStringField("name", p.name());
      g.writeStringField("timestamp", p.timestamp());
      g.writeNumberField("batchId", p.batchId());
      g.writeNumberField("batchDuration", p.batchDuration());
      g.writeNumberField("numInputRows", p.numInputRows());
      g.writeNumberField("inputRowsPerSecond", p.inputRowsPerSecond());
      g.writeNumberField("processedRowsPerSecond", p.processedRowsPerSecond());
      writeLongs(g, "durationMs", p.durationMs());
      writeStrings(g, "eventTime", p.eventTime());
      g.writeArrayFieldStart("stateOperators");
      for (StateOperatorProgress s : p.stateOperators()) {
        writeState(g, s);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("sources");
      for (SourceProgress s : p.sources()) {
        writeSource(g, s);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("sink");
      g.writeStringField("description", p.sink().description());
      g.writeNumberField("numOutputRows", p.sink().numOutputRows());
      writeStrings(g, "metrics", p.sink().metrics());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeState(JsonGenerator g, StateOperatorProgress s) throws IOException {
    g.writeStartObject();
    g.writeStringField("operatorName", s.operatorName());
    g.writeNumberField("numRowsTotal", s.numRowsTotal());
    g.writeNumberField("numRowsUpdated", s.numRowsUpdated());
    g.writeNumberField("allUpdatesTimeMs", s.allUpdatesTimeMs());
    g.writeNumberField("numRowsRemoved", s.numRowsRemoved());
    g.writeNumberField("commitTimeMs", s.commitTimeMs());
    g.writeNumberField("memoryUsedBytes", s.memoryUsedBytes());
    g.writeNumberField("numRowsDroppedByWatermark", s.numRowsDroppedByWatermark());
    g.writeNumberField("numShufflePartitions", s.numShufflePartitions());
    g.writeNumberField("numStateStoreInstances", s.numStateStoreInstances());
    g.writeEndObject();
  }

  private static void writeSource(JsonGenerator g, SourceProgress s) throws IOException {
    g.writeStartObject();
    g.writeStringField("description", s.description());
    writeOffset(g, "startOffset", s.startOffset());
    writeOffset(g, "endOffset", s.endOffset());
    writeOffset(g, "latestOffset", s.latestOffset());
    g.writeNumberField("numInputRows", s.numInputRows());
    g.writeNumberField("inputRowsPerSecond", s.inputRowsPerSecond());
    g.writeNumberField("processedRowsPerSecond", s.processedRowsPerSecond());
    writeStrings(g, "metrics", s.metrics());
    g.writeEndObject();
  }

  /**
   * An offset as Spark writes it: its JSON as a value (a Kafka source's offsets as an object),
   * so that tools read it without parsing a string; a string if it is not JSON.
   */
  private static void writeOffset(JsonGenerator g, String name, @Nullable String offset)
      throws IOException {
    g.writeFieldName(name);
    if (offset != null && isOneJsonValue(offset)) {
      g.writeRawValue(offset);
    } else {
      g.writeString(offset);
    }
  }

  private static boolean isOneJsonValue(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void writeLongs(JsonGenerator g, String name, Map<String, Long> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, Long> e : new TreeMap<>(values).entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeStrings(JsonGenerator g, String name, Map<String, String> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }
}
