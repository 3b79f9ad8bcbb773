package io.sluice.internal.connector.kafka;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.connector.BadRecordException;
import io.sluice.internal.connector.ValueDecoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * How one Kafka record becomes one row: Spark's columns when the source is read untyped; the
 * event its value holds, then the record's metadata, when it is read as events.
 *
 * <p>Metadata columns are {@code key, topic, partition, offset, timestamp, timestampType}, and
 * {@code header_<name>} for each header the option {@code headerColumns} names. A metadata
 * column whose name an event field has (ignoring case, as column references do) is named {@code
 * kafka_<name>} instead: the event's field keeps its name, since queries written for the event
 * type use it. If that name is taken too, the event type cannot be read from Kafka.
 */
final class KafkaRows {
  /** A column of the record itself, not of its value. */
  private enum Metadata {
    KEY("key", DataType.BINARY),
    VALUE("value", DataType.BINARY),
    TOPIC("topic", DataType.STRING),
    PARTITION("partition", DataType.INT),
    OFFSET("offset", DataType.LONG),
    TIMESTAMP("timestamp", DataType.TIMESTAMP),
    TIMESTAMP_TYPE("timestampType", DataType.INT);

    final String column;
    final DataType type;

    Metadata(String column, DataType type) {
      this.column = column;
      this.type = type;
    }
  }

  private static final String RENAMED = "kafka_";
  private static final String HEADER = "header_";

  private final Schema schema;
  private final @Nullable ValueDecoder values;
  /** The column after the event's: the first metadata column. */
  private final int first;
  private final Metadata[] metadata;
  private final String[] headers;

  private KafkaRows(Schema schema, @Nullable ValueDecoder values, int first,
      List<Metadata> metadata, List<String> headers) {
    this.schema = schema;
    this.values = values;
    this.first = first;
    this.metadata = metadata.toArray(new Metadata[0]);
    this.headers = headers.toArray(new String[0]);
  }

  /** Spark's columns, then a column per header in {@code headers}. */
  static KafkaRows untyped(List<String> headers) {
    return of(Schema.of(), null, List.of(Metadata.values()), headers);
  }

  /**
   * The columns of {@code event}, filled from the value by {@code values}, then the metadata
   * columns, the value's own excepted: the event is what it holds.
   */
  static KafkaRows events(String eventName, Schema event, ValueDecoder values,
      List<String> headers) {
    List<Metadata> metadata = new ArrayList<>(List.of(Metadata.values()));
    metadata.remove(Metadata.VALUE);
    KafkaRows rows = of(event, values, metadata, headers);
    rows.checkNames(eventName, event);
    return rows;
  }

  private static KafkaRows of(Schema event, @Nullable ValueDecoder values,
      List<Metadata> metadata, List<String> headers) {
    List<Field> fields = new ArrayList<>(event.fields());
    for (Metadata m : metadata) {
      fields.add(Field.nullable(name(event, m.column), m.type));
    }
    for (String header : headers) {
      fields.add(Field.nullable(name(event, HEADER + header), DataType.BINARY));
    }
    return new KafkaRows(Schema.of(fields), values, event.size(), metadata, headers);
  }

  /** The name of the record key's column: {@code key}, or {@code kafka_key} beside an event's. */
  String keyColumn() {
    return schema.field(first).name();
  }

  /** {@code column}, or {@code kafka_<column>} when the event has a field of that name. */
  private static String name(Schema event, String column) {
    return taken(event, column) ? RENAMED + column : column;
  }

  private static boolean taken(Schema event, String name) {
    return event.fields().stream().anyMatch(f -> f.name().equalsIgnoreCase(name));
  }

  /** Fails when a renamed metadata column's name is an event field's too. */
  private void checkNames(String eventName, Schema event) {
    for (int c = first; c < schema.size(); c++) {
      String name = schema.field(c).name();
      if (name.startsWith(RENAMED) && taken(event, name)) {
        String original = name.substring(RENAMED.length());
        throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, "cannot read " + eventName
            + " from Kafka: its fields '" + original + "' and '" + name + "' take both names"
            + " the record's " + original + " column could have; rename one of them");
      }
    }
  }

  Schema schema() {
    return schema;
  }

  /** Whether rows hold an event decoded from the value, which can be bad. */
  boolean decodes() {
    return values != null;
  }

  /**
   * Appends {@code r} to {@code chunk} as one row.
   *
   * @throws BadRecordException if the value holds no event; then nothing was appended
   */
  void append(ConsumerRecord<byte[], byte[]> r, ColumnBatch chunk) throws BadRecordException {
    if (values != null) {
      values.appendTo(r.value(), chunk);
    }
    int c = first;
    for (Metadata m : metadata) {
      appendMetadata(m, r, chunk, c++);
    }
    for (String header : headers) {
      Header h = r.headers().lastHeader(header);
      chunk.objects(c++).append(h == null ? null : h.value());
    }
  }

  private static void appendMetadata(Metadata m, ConsumerRecord<byte[], byte[]> r,
      ColumnBatch chunk, int c) {
    switch (m) {
      case KEY -> chunk.objects(c).append(r.key());
      case VALUE -> chunk.objects(c).append(r.value());
      case TOPIC -> chunk.objects(c).append(r.topic());
      case PARTITION -> chunk.ints(c).append(r.partition());
      case OFFSET -> chunk.longs(c).append(r.offset());
      case TIMESTAMP -> chunk.longs(c).append(r.timestamp());
      case TIMESTAMP_TYPE -> chunk.ints(c).append(r.timestampType().id);
    }
  }
}
