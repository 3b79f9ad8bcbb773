package io.sluice.internal.connector.kafka;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.ColumnVector;
import io.sluice.internal.batch.IntVector;
import io.sluice.internal.batch.ObjectVector;
import io.sluice.internal.connector.Options;
import io.sluice.internal.connector.Sink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * Writes each batch's rows to Kafka as Spark's Kafka sink does: a {@code value} column (string
 * or binary) is required; {@code key} (string or binary), {@code topic} (string; the {@code
 * topic} option overrides it) and {@code partition} (int) are optional. Each column {@code
 * header_<name>} (string or binary), as the source's option {@code headerColumns} reads them,
 * becomes header {@code <name>}; a null one adds no header.
 *
 * <p>By default delivery is at least once: a batch that runs again after a crash is written
 * again. With {@code deliveryGuarantee=exactly-once} each batch is one Kafka transaction of a
 * stable {@code transactional.id}, and the transaction also commits the batch id, as the offset
 * of a consumer group of the same name; a batch that runs again after its transaction committed
 * is not written again, and one whose transaction did not commit was aborted when the sink
 * started. A {@code read_committed} consumer so sees each row once, whatever crashes happen.
 */
public final class KafkaSink implements Sink {
  private static final String EXACTLY_ONCE = "exactly-once";

  private final Map<String, Object> producerParams;
  private final @Nullable String topic;
  private final int topicColumn;
  private final int keyColumn;
  private final int valueColumn;
  private final int partitionColumn;
  /** The {@code header_<name>} columns: their ordinals and header names. */
  private final int[] headerColumns;
  private final String[] headerNames;
  /** The transactional id, asked for when the sink starts; null for at-least-once delivery. */
  private final @Nullable Supplier<String> transactionalIds;
  private @Nullable String transactionalId;
  private final @Nullable TopicPartition marker;
  private @Nullable Producer<byte[], byte[]> producer;
  private long committedBatch = Long.MIN_VALUE;

  /**
   * A sink of rows of {@code schema}; {@code transactionalId} gives the stable id of this query's
   * transactions, when the options ask for exactly-once delivery, once the sink starts (the id
   * of the query's checkpoint is known then).
   */
  public KafkaSink(Options options, Schema schema, Supplier<String> transactionalId) {
    this.producerParams = KafkaParameters.forProducer(options);
    String option = options.get("topic");
    this.topic = option == null ? null : option.trim();
    this.topicColumn = column(schema, "topic", topic == null, DataType.STRING);
    if (topic == null && topicColumn < 0) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "topic option required when no"
          + " 'topic' attribute is present. Use the topic option for setting a topic.");
    }
    this.keyColumn = column(schema, "key", true, DataType.STRING, DataType.BINARY);
    this.valueColumn = column(schema, "value", true, DataType.STRING, DataType.BINARY);
    if (valueColumn < 0) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "Required attribute 'value' not found;"
          + " the Kafka sink writes column 'value' (string or binary), and optionally key, topic"
          + " and partition; available: " + String.join(", ", schema.names()));
    }
    this.partitionColumn = column(schema, "partition", true, DataType.INT);
    List<Integer> headers = new java.util.ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      String name = schema.field(i).name();
      if (name.startsWith("header_") && name.length() > "header_".length()) {
        headers.add(column(schema, name, true, DataType.STRING, DataType.BINARY));
      }
    }
    this.headerColumns = headers.stream().mapToInt(Integer::intValue).toArray();
    this.headerNames = headers.stream().map(i -> schema.field(i).name().substring(
        "header_".length())).toArray(String[]::new);
    String guarantee = options.get("deliveryGuarantee", "at-least-once").trim()
        .toLowerCase(Locale.ROOT);
    if (!guarantee.equals(EXACTLY_ONCE) && !guarantee.equals("at-least-once")) {
      throw options.invalid("deliveryGuarantee", guarantee, "at-least-once or exactly-once");
    }
    if (guarantee.equals(EXACTLY_ONCE)) {
      String given = options.get("transactionalId");
      this.transactionalIds = given != null ? () -> given : transactionalId;
      String markerTopic = topic != null ? topic : options.get("transactionMarkerTopic");
      if (markerTopic == null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "an exactly-once Kafka sink that"
            + " takes topics from the 'topic' column needs option 'transactionMarkerTopic': an"
            + " existing topic whose partition 0 records, with each transaction, the batch it"
            + " wrote");
      }
      this.marker = new TopicPartition(markerTopic, 0);
      producerParams.put("enable.idempotence", "true");
      producerParams.put("acks", "all");
    } else {
      this.transactionalIds = null;
      this.marker = null;
    }
  }

  /** The ordinal of column {@code name}, checked to be of one of {@code types}; -1 if absent. */
  private static int column(Schema schema, String name, boolean check, DataType... types) {
    Optional<Integer> at = schema.indexOf(name);
    if (at.isEmpty() || !schema.field(at.get()).name().equals(name)) {
      return -1;
    }
    DataType type = schema.field(at.get()).type();
    if (check && !List.of(types).contains(type)) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, name + " attribute unsupported type "
          + type.sqlName().toLowerCase(Locale.ROOT) + ". " + name + " must be a(n) "
          + String.join(" or ", List.of(types).stream().map(t -> t == DataType.BINARY ? "binary"
              : t.sqlName().toLowerCase(Locale.ROOT)).toList()));
    }
    return at.get();
  }

  @Override
  public String description() {
    return "KafkaSink[" + (topic != null ? "topic=" + topic : "topic column")
        + (transactionalIds != null ? ", exactly-once" : "") + "]";
  }

  @Override
  public void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks, OutputMode mode) {
    Producer<byte[], byte[]> p = producer();
    if (transactionalIds == null) {
      send(p, chunks, batchId);
      return;
    }
    if (batchId <= committedBatch) {
      return; // its transaction committed before a restart: writing it again would duplicate
    }
    try {
      p.beginTransaction();
      send(p, chunks, batchId);
      p.sendOffsetsToTransaction(Map.of(marker, new OffsetAndMetadata(batchId + 1,
          "sluice batch " + batchId)), new ConsumerGroupMetadata(transactionalId));
      p.commitTransaction();
      committedBatch = batchId;
    } catch (ProducerFencedException e) {
      close();
      throw KafkaCalls.fenced(description(), transactionalId, e);
    } catch (RuntimeException e) {
      // The transaction may be half sent: abort it, and start a fresh producer for a retry.
      close();
      throw e instanceof SluiceException s ? s : new SluiceException(ErrorKind.CONNECTOR,
          description() + " could not write batch " + batchId + ": " + e.getMessage(), e);
    }
  }

  /** Sends every row and waits for all to be acknowledged; the first failure fails the batch. */
  private void send(Producer<byte[], byte[]> p, List<ColumnBatch> chunks, long batchId) {
    SendFailures failures = new SendFailures();
    for (ColumnBatch chunk : chunks) {
      for (int r = 0; r < chunk.size() && failures.first() == null; r++) {
        p.send(record(chunk, r), failures);
      }
    }
    p.flush();
    Exception failure = failures.first();
    if (failure != null) {
      throw new SluiceException(ErrorKind.CONNECTOR, description() + " could not write batch "
          + batchId + ": " + failure.getMessage(), failure);
    }
  }

  private ProducerRecord<byte[], byte[]> record(ColumnBatch chunk, int r) {
    String to = topic;
    if (to == null) {
      to = (String) ((ObjectVector) chunk.column(topicColumn)).values[r];
      if (to == null) {
        throw new SluiceException(ErrorKind.CONNECTOR, "The Kafka message data sent to the"
            + " producer contains a null topic. Use the `topic` option for setting a default"
            + " topic.");
      }
    }
    Integer partition = null;
    if (partitionColumn >= 0 && !chunk.column(partitionColumn).isNull(r)) {
      partition = ((IntVector) chunk.column(partitionColumn)).values[r];
    }
    List<Header> headers = new java.util.ArrayList<>(headerColumns.length);
    for (int h = 0; h < headerColumns.length; h++) {
      byte[] value = bytes(chunk, headerColumns[h], r);
      if (value != null) {
        headers.add(new RecordHeader(headerNames[h], value));
      }
    }
    return new ProducerRecord<>(to, partition, null, bytes(chunk, keyColumn, r),
        bytes(chunk, valueColumn, r), headers);
  }

  private static byte @Nullable [] bytes(ColumnBatch chunk, int column, int r) {
    if (column < 0) {
      return null;
    }
    ColumnVector v = chunk.column(column);
    Object value = ((ObjectVector) v).values[r];
    return value == null ? null : value instanceof byte[] b ? b
        : value.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The producer, made on first use. With exactly-once delivery, starting it aborts what an
   * earlier run of this query left open, and the batch its last committed transaction wrote is
   * read back, so that a batch run again is not written twice.
   */
  private Producer<byte[], byte[]> producer() {
    if (producer != null) {
      return producer;
    }
    Map<String, Object> params = new HashMap<>(producerParams);
    if (transactionalIds != null) {
      transactionalId = transactionalIds.get();
      params.put("transactional.id", transactionalId);
    }
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(params);
    if (transactionalId != null) {
      try {
        p.initTransactions();
        committedBatch = committedBatch();
      } catch (RuntimeException e) {
        p.close(Duration.ZERO);
        throw e instanceof SluiceException s ? s : new SluiceException(ErrorKind.CONNECTOR,
            description() + " could not start its transactions: " + e.getMessage(), e);
      }
    }
    producer = p;
    return p;
  }

  /** The last batch a committed transaction wrote, from the group's committed offset. */
  private long committedBatch() {
    try {
      OffsetAndMetadata committed = KafkaCalls.committedOffsets(producerParams, transactionalId)
          .get(marker);
      return committed == null ? Long.MIN_VALUE : committed.offset() - 1;
    } catch (KafkaException e) {
      throw new SluiceException(ErrorKind.CONNECTOR, description() + " could not read which"
          + " batch it last committed (group " + transactionalId + "): " + e.getMessage(), e);
    }
  }

  private void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  @Override
  public void stop() {
    close();
  }
}
