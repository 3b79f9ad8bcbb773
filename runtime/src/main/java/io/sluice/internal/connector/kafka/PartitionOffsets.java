package io.sluice.internal.connector.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.connector.Offset;
import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a Kafka source stands: per topic-partition, the offset of the next record to read, so
 * that a batch reads {@code [start, end)} of each partition. Written to the offset log as Spark
 * writes it, {@code {"clicks":{"0":23,"1":42}}}, topics and partitions in order.
 */
public record PartitionOffsets(Map<TopicPartition, Long> offsets) implements Offset {
  /** Topic by name, then partition by number: the order of the JSON and of reading. */
  public static final Comparator<TopicPartition> ORDER = Comparator
      .comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private static final JsonFactory JSON = new JsonFactory();

  public PartitionOffsets {
    TreeMap<TopicPartition, Long> sorted = new TreeMap<>(ORDER);
    sorted.putAll(offsets);
    offsets = java.util.Collections.unmodifiableSortedMap(sorted);
  }

  /** The offset of {@code partition}, or null if this source does not know the partition. */
  public @org.jspecify.annotations.Nullable Long get(TopicPartition partition) {
    return offsets.get(partition);
  }

  @Override
  public String json() {
    StringBuilder out = new StringBuilder("{");
    String topic = null;
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      TopicPartition tp = e.getKey();
      if (!tp.topic().equals(topic)) {
        if (topic != null) {
          out.append("},");
        }
        topic = tp.topic();
        quote(out, topic).append(":{");
      } else {
        out.append(',');
      }
      out.append('"').append(tp.partition()).append("\":").append(e.getValue());
    }
    if (topic != null) {
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // Kafka topic names are [a-zA-Z0-9._-]; escaping covers what else a JSON string needs.
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"');
  }

  /**
   * Reads {@code {"topic":{"partition":offset,...},...}}; {@code what} names where the text
   * comes from in the error for malformed text (an option, a checkpoint file).
   */
  public static PartitionOffsets parse(String json, String what) {
    Map<TopicPartition, Long> offsets = new TreeMap<>(ORDER);
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, json, what);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String topic = p.currentName();
        expect(p.nextToken(), JsonToken.START_OBJECT, json, what);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          int partition = partition(p.currentName(), json, what);
          expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT, json, what);
          offsets.put(new TopicPartition(topic, partition), p.getLongValue());
        }
        expect(p.currentToken(), JsonToken.END_OBJECT, json, what);
      }
      expect(p.currentToken(), JsonToken.END_OBJECT, json, what);
      if (p.nextToken() != null) {
        throw malformed(json, what);
      }
    } catch (IOException e) {
      throw malformed(json, what);
    }
    return new PartitionOffsets(offsets);
  }

  private static int partition(String text, String json, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw malformed(json, what);
    }
  }

  private static void expect(JsonToken token, JsonToken expected, String json, String what) {
    if (token != expected) {
      throw malformed(json, what);
    }
  }

  private static SluiceException malformed(String json, String what) {
    return new SluiceException(ErrorKind.INVALID_OPTION, what + " must be JSON like"
        + " {\"topicA\":{\"0\":23,\"1\":-1},\"topicB\":{\"0\":-2}}, got " + json);
  }
}
