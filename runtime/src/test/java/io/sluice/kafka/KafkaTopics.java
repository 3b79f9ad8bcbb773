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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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

  /**
   * Every record of {@code topic} as "key=value", read to the end with {@code isolation}
   * (read_committed or read_uncommitted).
   */
  static List<String> readAll(String topic, String isolation) {
    return readAll(broker().bootstrapServers(), topic, isolation);
  }

  /** {@link #readAll(String, String)} on the broker at {@code bootstrapServers}. */
  public static List<String> readAll(String bootstrapServers, String topic, String isolation) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrapServers, "isolation.level", isolation),
        new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> partitions.add(
          new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<String> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + end);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.key() + "=" + r.value());
        }
      }
      return out;
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
