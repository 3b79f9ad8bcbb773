package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataStreamWriter;
import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.fixtures.Tick;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows written to Kafka as Spark's sink writes them (value required; key, topic and partition
 * optional), at least once by default, and exactly once, for read_committed consumers, when the
 * sink writes each batch in a transaction that also records the batch.
 */
class KafkaSinkTest {
  private final Sluice engine = Sluice.builder().statePartitions(1).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static Tick tick(String key, long value) {
    return new Tick(key, Instant.EPOCH, value);
  }

  /** The ticks as (key, value) text. */
  private Dataset<Row> keyed() {
    return ticks.toDataset().selectExpr("key", "CAST(value AS STRING) AS value");
  }

  private DataStreamWriter<Row> toKafka(Dataset<Row> rows) {
    return rows.writeStream().outputMode(OutputMode.APPEND).format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers());
  }

  private static void runToEnd(DataStreamWriter<Row> writer) {
    StreamingQuery query = writer.start();
    try {
      query.processAllAvailable();
    } finally {
      query.stop();
    }
  }

  @Test
  void writesKeyAndValueToTheTopicTheOptionNames() {
    String topic = KafkaTopics.create("sink", 1);
    ticks.addData(tick("a", 1), tick("b", 2));
    runToEnd(toKafka(keyed()).option("topic", topic));
    assertThat(KafkaTopics.readAll(topic, "read_uncommitted")).containsExactly("a=1", "b=2");
  }

  @Test
  void takesEachRowsTopicFromATopicColumn() {
    String first = KafkaTopics.create("first", 1);
    String second = KafkaTopics.create("second", 1);
    ticks.addData(tick(first, 1), tick(second, 2));
    runToEnd(toKafka(ticks.toDataset().selectExpr("key AS topic",
        "CAST(value AS STRING) AS value")));
    assertThat(KafkaTopics.readAll(first, "read_uncommitted")).containsExactly("null=1");
    assertThat(KafkaTopics.readAll(second, "read_uncommitted")).containsExactly("null=2");
  }

  @Test
  void writesEachHeaderColumnAsAHeader() {
    String topic = KafkaTopics.create("headers", 1);
    ticks.addData(tick("a", 1), tick(null, 2));
    runToEnd(toKafka(ticks.toDataset().selectExpr("CAST(value AS STRING) AS value",
        "key AS header_trace")).option("topic", topic));
    assertThat(KafkaTopics.headers(topic, "trace")).containsExactly("a", "-"); // null: none
  }

  @Test
  void refusesRowsWithoutAValueColumn() {
    assertThatThrownBy(() -> toKafka(ticks.toDataset().selectExpr("key")).option("topic", "t")
        .start()).hasMessageContaining("Required attribute 'value' not found");
  }

  @Test
  void refusesAValueThatIsNeitherStringNorBinary() {
    assertThatThrownBy(() -> toKafka(ticks.toDataset().selectExpr("value")).option("topic", "t")
        .start()).hasMessageContaining("value attribute unsupported type bigint. value must be"
            + " a(n) string or binary");
  }

  @Test
  void refusesATopicFromNeitherOptionNorColumn() {
    assertThatThrownBy(() -> toKafka(keyed()).start()).hasMessageContaining("topic option"
        + " required when no 'topic' attribute is present");
  }

  /**
   * A batch written, then run again as after a crash before its commit: the checkpoint's record
   * of the commit is removed, so a restart runs the batch again.
   */
  private void writeTwice(String topic, Path checkpoint, String guarantee) throws Exception {
    ticks.addData(tick("a", 1), tick("b", 2));
    DataStreamWriter<Row> writer = toKafka(keyed()).option("topic", topic)
        .option("deliveryGuarantee", guarantee)
        .option("checkpointLocation", checkpoint.toString());
    runToEnd(writer);
    Files.delete(checkpoint.resolve("commits").resolve("0"));
    runToEnd(writer);
  }

  @Test
  void atLeastOnceWritesABatchRunAgainTwice(@TempDir Path checkpoint) throws Exception {
    String topic = KafkaTopics.create("twice", 1);
    writeTwice(topic, checkpoint, "at-least-once");
    assertThat(KafkaTopics.readAll(topic, "read_committed"))
        .containsExactly("a=1", "b=2", "a=1", "b=2");
  }

  @Test
  void exactlyOnceWritesABatchRunAgainOnce(@TempDir Path checkpoint) throws Exception {
    String topic = KafkaTopics.create("once", 1);
    writeTwice(topic, checkpoint, "exactly-once");
    assertThat(KafkaTopics.readAll(topic, "read_committed")).containsExactly("a=1", "b=2");
  }

  @Test
  void exactlyOnceTakesANewCheckpointForANewQuery(@TempDir Path folder) throws Exception {
    String topic = KafkaTopics.create("fresh", 1);
    Path checkpoint = folder.resolve("checkpoint");
    DataStreamWriter<Row> writer = toKafka(keyed()).option("topic", topic)
        .option("deliveryGuarantee", "exactly-once")
        .option("checkpointLocation", checkpoint.toString());
    ticks.addData(tick("a", 1));
    runToEnd(writer);
    try (var files = Files.walk(checkpoint)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    ticks.addData(tick("b", 2));
    // The same path, made again: a new query, which reads the stream from its start; its batch 0
    // is not the old one's, and is written.
    runToEnd(writer);
    assertThat(KafkaTopics.readAll(topic, "read_committed")).containsExactly("a=1", "a=1", "b=2");
  }

  @Test
  void exactlyOnceNeedsACheckpoint() {
    assertThatThrownBy(() -> toKafka(keyed()).option("topic", "t")
        .option("deliveryGuarantee", "exactly-once").start())
        .hasMessageContaining("an exactly-once Kafka sink needs option 'checkpointLocation'");
  }
}
