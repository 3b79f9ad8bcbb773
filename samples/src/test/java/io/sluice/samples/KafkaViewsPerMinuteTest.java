package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sample against a real broker: clicks in, one record per page and closed minute out,
 * read back as a read_committed consumer reads them.
 */
class KafkaViewsPerMinuteTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private final KafkaBroker broker = KafkaBroker.shared();

  @Test
  void writesEachClosedMinutesViewsOnceToTheOutputTopic(@TempDir Path checkpoint)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String clicks = "clicks-" + suffix;
    String views = "views-" + suffix;
    broker.createTopic(clicks, 2);
    broker.createTopic(views, 1);
    send(clicks, click("ann", "home", 5), click("bob", "home", 20), click("bot", "home", 21),
        click("cid", "cart", 30),
        click("ann", "home", 75)); // moves the watermark to 65 s: the first minute closes
    try (Sluice engine = Sluice.create()) {
      StreamingQuery query = KafkaViewsPerMinute.start(engine,
          KafkaViewsPerMinute.kafkaSettings(broker.bootstrapServers(), new Properties()), clicks, views,
          checkpoint);
      try {
        assertThat(readCommitted(views, 2)).containsExactlyInAnyOrder(
            "home=2024-01-01 00:00:00 2", "cart=2024-01-01 00:00:00 1");
        assertThat(query.exception()).isNull();
      } finally {
        query.stop();
      }
    }
  }

  private static ProducerRecord<String, String> click(String user, String page, long second) {
    return new ProducerRecord<>("", null, T0.plusSeconds(second).toEpochMilli(), user, page);
  }

  @SafeVarargs
  private void send(String topic, ProducerRecord<String, String>... clicks) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      for (ProducerRecord<String, String> c : clicks) {
        // One partition, so that the order, and with it the watermark, is the order sent.
        producer.send(new ProducerRecord<>(topic, 0, c.timestamp(), c.key(), c.value()));
      }
      producer.flush();
    }
  }

  /** The first {@code count} records of {@code topic} as key=value, waiting for them. */
  private List<String> readCommitted(String topic, int count) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed"),
        new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<String> out = new ArrayList<>();
      long bound = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (out.size() < count && System.nanoTime() < bound) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          out.add(r.key() + "=" + r.value());
        }
      }
      return out;
    }
  }
}
