package io.sluice.internal.connector.kafka;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The dead-letter topic of a Kafka source: a record whose value does not decode is sent there as
 * it came (key, value, headers), with headers added that say what was wrong and where it came
 * from: {@code sluice.error}, {@code sluice.topic}, {@code sluice.partition}, {@code
 * sluice.offset} and {@code sluice.timestamp} (epoch milliseconds), all UTF-8 text.
 *
 * <p>The dead letters of one read are acknowledged before the read returns, so before its batch
 * can commit: none is lost. With a checkpoint they are one Kafka transaction, of a transactional
 * id kept in the source's checkpoint folder, that also records the offset range read of each
 * partition, as the committed offsets of a consumer group of the same name. A read of ranges
 * already recorded (a batch run again after a crash or a failed sink) sends nothing, and a
 * transaction a crash left open is aborted when the source starts again: a {@code
 * read_committed} consumer of the topic sees each bad record once. Without a checkpoint (a
 * bounded read) a read tried again after it failed sends its dead letters again: at least once.
 */
final class DeadLetterTopic {
  /** The ranges of one read: per partition, from (inclusive) and until (exclusive). */
  record Range(long from, long until) {
    boolean sameAs(@Nullable OffsetAndMetadata recorded) {
      return recorded != null && recorded.offset() == until
          && Long.toString(from).equals(recorded.metadata());
    }

    OffsetAndMetadata recorded() {
      return new OffsetAndMetadata(until, Long.toString(from));
    }
  }

  private static final String ID_FILE = "dead-letter-transactional-id";

  private final String topic;
  private final String owner;
  private final Map<String, Object> producerParams;
  private @Nullable String transactionalId;
  private @Nullable Producer<byte[], byte[]> producer;
  /** Per partition, the last range whose dead letters are in the topic. */
  private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
  private final SendFailures failures = new SendFailures();
  private boolean sending;
  /** This read's dead letters, sent when it ends. */
  private final List<ProducerRecord<byte[], byte[]>> held = new ArrayList<>();

  /** Sends to {@code topic} with the {@code kafka.*} settings of the source {@code owner}. */
  DeadLetterTopic(String topic, Map<String, Object> producerParams, String owner) {
    this.topic = topic;
    this.owner = owner;
    this.producerParams = new HashMap<>(producerParams);
    this.producerParams.keySet().retainAll(ProducerConfig.configNames());
    this.producerParams.put("acks", "all");
    this.producerParams.put("enable.idempotence", "true");
  }

  /** Makes delivery transactional, with an id kept in {@code directory} across restarts. */
  void useCheckpoint(Path directory) {
    Path file = directory.resolve(ID_FILE);
    if (!Files.exists(file)) {
      CheckpointFile.write(file, "sluice-dead-letters-" + UUID.randomUUID());
    }
    transactionalId = CheckpointFile.read(file).trim();
    producerParams.put("transactional.id", transactionalId);
  }

  /**
   * Sends {@code r}, read in {@code range} of its partition, with {@code error}, unless an
   * earlier read of the same range sent its dead letters already.
   */
  void send(ConsumerRecord<byte[], byte[]> r, String error, Range range) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    producer();
    if (range.sameAs(done.get(tp))) {
      return;
    }
    sending = true;
    Headers headers = new RecordHeaders(r.headers().toArray());
    headers.add("sluice.error", utf8(error));
    headers.add("sluice.topic", utf8(r.topic()));
    headers.add("sluice.partition", utf8(Integer.toString(r.partition())));
    headers.add("sluice.offset", utf8(Long.toString(r.offset())));
    headers.add("sluice.timestamp", utf8(Long.toString(r.timestamp())));
    // Held until the read ends: a transaction open while the batch is read and processed could
    // outlive the broker's transaction timeout.
    held.add(new ProducerRecord<>(topic, null, r.key(), r.value(), headers));
  }

  /**
   * Ends a read of {@code ranges}: waits for what it sent and, with a checkpoint, commits it
   * with the ranges. Nothing waits when the read sent nothing.
   */
  void commit(Map<TopicPartition, Range> ranges) {
    if (!sending) {
      return;
    }
    Producer<byte[], byte[]> p = producer();
    try {
      if (transactionalId != null) {
        p.beginTransaction();
      }
      for (ProducerRecord<byte[], byte[]> record : held) {
        p.send(record, failures);
      }
      held.clear();
      p.flush();
      Exception e = failures.first();
      if (e != null) {
        throw failed(e);
      }
      Map<TopicPartition, OffsetAndMetadata> recorded = new HashMap<>();
      ranges.forEach((tp, range) -> recorded.put(tp, range.recorded()));
      if (transactionalId != null) {
        p.sendOffsetsToTransaction(recorded, new ConsumerGroupMetadata(transactionalId));
        p.commitTransaction();
      }
      done.putAll(recorded);
      sending = false;
    } catch (ProducerFencedException e) {
      close();
      throw KafkaCalls.fenced(owner, transactionalId, e);
    } catch (KafkaException e) {
      throw failed(e);
    }
  }

  /** Ends a read that failed: what it sent is aborted with a checkpoint, or stays without. */
  void abort() {
    held.clear();
    if (sending) {
      // Closing aborts an open transaction; the next read starts a fresh producer.
      close();
    }
  }

  void close() {
    sending = false;
    failures.clear();
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  /**
   * The producer, made on first use. With a checkpoint, starting it aborts what an earlier run
   * left open, and reads back the ranges earlier runs committed.
   */
  private Producer<byte[], byte[]> producer() {
    if (producer != null) {
      return producer;
    }
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(new HashMap<>(producerParams));
    try {
      if (transactionalId != null) {
        p.initTransactions();
        done.putAll(KafkaCalls.committedOffsets(producerParams, transactionalId));
      }
    } catch (RuntimeException e) {
      p.close(Duration.ZERO);
      throw e instanceof SluiceException s ? s : failed(e);
    }
    producer = p;
    return p;
  }



  private SluiceException failed(Exception e) {
    close();
    return new SluiceException(ErrorKind.CONNECTOR, owner + " could not send records that did"
        + " not decode to dead-letter topic " + topic + ": " + e.getMessage(), e);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
