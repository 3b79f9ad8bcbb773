package io.sluice.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads test topics with plain kafka-clients: on the shared broker, or on a broker
 * the caller names (one a test restarts, or the shared one seen from another package).
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  static KafkaBroker broker() {
    return KafkaBroker.shared();
  }

  /** A new topic of {@code partitions} on the shared broker, named uniquely from {@code prefix}. */
  static String create(String prefix, int partitions) {
    return create(broker(), prefix, partitions);
  }

  /** A new topic of {@code partitions} on {@code broker}, named uniquely from {@code prefix}. */
  public static String create(KafkaBroker broker, String prefix, int partitions) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    broker.createTopic(name, partitions);
    return name;
  }

  /** Sends {@code key -> value} pairs to one partition and waits until all are acknowledged. */
  static void send(String topic, int partition, String... keysAndValues) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", broker().bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < keysAndValues.length; i += 2) {
        producer.send(new ProducerRecord<>(topic, partition, keysAndValues[i],
            keysAndValues[i + 1]));
      }
      producer.flush();
    }
  }

  /** Sends records of bytes and waits until all are acknowledged. */
  static void send(List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", broker().bootstrapServers()), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /**
   * Every record of {@code topic} as "key=value", read to the end with {@code isolation}
   * (read_committed or read_uncommitted).
   */
  static List<String> readAll(String topic, String isolation) {
    return readAll(broker().bootstrapServers(), topic, isolation);
  }

  /** {@link #readAll(String, String)} on the broker at {@code bootstrapServers}. */
  public static List<String> readAll(String bootstrapServers, String topic, String isolation) {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records(bootstrapServers, topic, isolation)) {
      out.add(text(r.key()) + "=" + text(r.value()));
    }
    return out;
  }

  /** Every record of {@code topic}, as bytes, read to the end with {@code isolation}. */
  static List<ConsumerRecord<byte[], byte[]>> records(String topic, String isolation) {
    return records(broker().bootstrapServers(), topic, isolation);
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(String bootstrapServers,
      String topic, String isolation) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrapServers, "isolation.level", isolation),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> partitions.add(
          new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  /** UTF-8 text of {@code bytes}; "null" for null. */
  static String text(byte @Nullable [] bytes) {
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }

  /** The value of header {@code name} of each record of partition 0, as text, or "-". */
  static List<String> headers(String topic, String name) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", broker().bootstrapServers()), new StringDeserializer(),
        new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      List<String> out = new ArrayList<>();
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          var h = r.headers().lastHeader(name);
          out.add(h == null ? "-" : new String(h.value(), StandardCharsets.UTF_8));
        }
      }
      return out;
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
