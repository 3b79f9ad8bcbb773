package io.sluice.internal.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What is fixed for the life of a checkpoint: the query's id, the format version, the number of
 * state partitions, a fingerprint of the state the query keeps, and the source it reads (empty
 * in checkpoints written before sources were recorded).
 */
public record CheckpointMetadata(UUID queryId, int formatVersion, int statePartitions,
    String queryFingerprint, String source) {
  private static final JsonFactory JSON = new JsonFactory();

  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", queryId.toString());
      g.writeNumberField("formatVersion", formatVersion);
      g.writeNumberField("statePartitions", statePartitions);
      g.writeStringField("queryFingerprint", queryFingerprint);
      g.writeStringField("source", source);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Reads metadata written by {@link #toJson}; a malformed document names {@code file}. */
  public static CheckpointMetadata fromJson(String json, Path file) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(file, "not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          // A field a later version added: skip it whole, or its inner names would be read here.
          p.skipChildren();
        } else if (value != JsonToken.VALUE_NULL) {
          fields.put(name, p.getText());
        }
      }
      return new CheckpointMetadata(UUID.fromString(required(fields, "id", file)),
          Integer.parseInt(required(fields, "formatVersion", file)),
          Integer.parseInt(required(fields, "statePartitions", file)),
          required(fields, "queryFingerprint", file), fields.getOrDefault("source", ""));
    } catch (JsonProcessingException e) {
      // The original message, without Jackson's multi-line "at [Source: ...]" location suffix.
      throw malformed(file, e.getOriginalMessage());
    } catch (IOException | IllegalArgumentException e) {
      throw malformed(file, String.valueOf(e.getMessage()));
    }
  }

  private static String required(Map<String, String> fields, String name, Path file) {
    String value = fields.get(name);
    if (value == null) {
      throw malformed(file, "field '" + name + "' is missing");
    }
    return value;
  }

  private static SluiceException malformed(Path file, String why) {
    return new SluiceException(ErrorKind.CHECKPOINT,
        "checkpoint metadata " + file + " is malformed: " + why);
  }
}
