package io.sluice.internal.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.api.SluiceException;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The body of {@code /api/queries}: each query's id, run id, name, status and recent progress, the
 * progress in Spark's JSON layout ({@link StreamingQueryProgress#json()}).
 */
final class QueriesJson {
  private static final JsonFactory JSON = new JsonFactory();

  private QueriesJson() {}

  static String write(List<StreamingQuery> queries) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("queries");
      for (StreamingQuery q : queries) {
        writeQuery(g, q);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return escapeMarkup(out.toString());
  }

  private static void writeQuery(JsonGenerator g, StreamingQuery q) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", q.id().toString());
    g.writeStringField("runId", q.runId().toString());
    g.writeStringField("name", q.name());
    g.writeBooleanField("active", q.isActive());
    SluiceException failure = q.exception();
    if (failure != null) {
      g.writeStringField("exception", failure.getMessage());
    }
    g.writeArrayFieldStart("recentProgress");
    for (StreamingQueryProgress p : q.recentProgress()) {
      g.writeRawValue(p.json());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Writes {@code <}, {@code >} and {@code &} as {@code \}{@code u} escapes, so that a query name
   * or an error message is never markup, even to a client that sniffs the content type. Outside
   * strings JSON has none of these characters, so the document means the same.
   */
  private static String escapeMarkup(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }
}
