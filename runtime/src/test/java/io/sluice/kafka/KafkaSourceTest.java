package io.sluice.kafka;

import static io.sluice.kafka.KafkaTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.api.DataReader;
import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.SourceProgress;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryListener;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.testkit.QueryTester;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka topics read as Spark reads them, from a real broker: Spark's columns, a batch per range
 * of offsets, starting where the options say and then where the last batch ended, the rate
 * limit shared between partitions, new partitions read from their start, and lost records an
 * error or, if the user says so, skipped and counted.
 */
class KafkaSourceTest {
  private final Sluice engine = Sluice.builder().statePartitions(1).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private DataReader kafka(String topic) {
    return engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers())
        .option("subscribe", topic);
  }

  /** The records as (key, value, partition, offset), the bytes read as text. */
  private static QueryTester tester(Dataset<Row> records) {
    return QueryTester.of(records.selectExpr("CAST(key AS STRING) AS key",
        "CAST(value AS STRING) AS value", "partition", "offset").writeStream()
        .outputMode(OutputMode.APPEND));
  }

  private static List<List<Object>> rows(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(java.util.Arrays.asList(r.values())));
    return out;
  }

  private static SourceProgress source(QueryTester t) {
    return t.lastProgress().sources().get(0);
  }

  @Test
  void recordsComeAsSparksColumns() {
    String topic = KafkaTopics.create("columns", 1);
    send(topic, 0, "a", "one", "b", "two");
    Dataset<Row> records = kafka(topic).option("startingOffsets", "earliest").load();
    assertThat(records.schema().names()).containsExactly("key", "value", "topic", "partition",
        "offset", "timestamp", "timestampType");
    try (QueryTester t = QueryTester.of(records.selectExpr("CAST(value AS STRING) AS v",
        "topic", "timestampType").writeStream().outputMode(OutputMode.APPEND))) {
      assertThat(rows(t.runBatch())).containsExactly(List.of("one", topic, 0),
          List.of("two", topic, 0)); // 0: the producer's create time
    }
  }

  @Test
  void aNewQueryStartsAtTheLatestOffsetsByDefault() {
    String topic = KafkaTopics.create("latest", 1);
    send(topic, 0, "a", "before");
    try (QueryTester t = tester(kafka(topic).load())) {
      assertThat(t.runBatch()).isEmpty(); // batch 0 runs, from the end, as in Spark
      send(topic, 0, "b", "after");
      assertThat(rows(t.runBatch())).containsExactly(List.of("b", "after", 0, 1L));
      assertThat(source(t).startOffset()).isEqualTo("{\"" + topic + "\":{\"0\":1}}");
      assertThat(source(t).endOffset()).isEqualTo("{\"" + topic + "\":{\"0\":2}}");
    }
  }

  @Test
  void startingOffsetsPerPartitionAsJson() {
    String topic = KafkaTopics.create("json", 2);
    send(topic, 0, "a", "0", "b", "1", "c", "2");
    send(topic, 1, "d", "0", "e", "1");
    String json = "{\"" + topic + "\":{\"0\":1,\"1\":-2}}";
    try (QueryTester t = tester(kafka(topic).option("startingOffsets", json).load())) {
      assertThat(rows(t.runBatch())).containsExactlyInAnyOrder(List.of("b", "1", 0, 1L),
          List.of("c", "2", 0, 2L), List.of("d", "0", 1, 0L), List.of("e", "1", 1, 1L));
    }
  }

  @Test
  void startingTimestampStartsAtTheFirstRecordAtOrAfterIt() throws Exception {
    String topic = KafkaTopics.create("time", 1);
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
        Map.of("bootstrap.servers", KafkaTopics.broker().bootstrapServers()),
        new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.StringSerializer())) {
      for (long t : new long[] {1000, 2000, 3000}) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, t,
            "k" + t, "v" + t)).get();
      }
    }
    try (QueryTester t = tester(kafka(topic).option("startingTimestamp", "1500").load())) {
      assertThat(rows(t.runBatch())).containsExactly(List.of("k2000", "v2000", 0, 1L),
          List.of("k3000", "v3000", 0, 2L));
    }
    String json = "{\"" + topic + "\":{\"0\":5000}}";
    assertThatThrownBy(() -> {
      try (QueryTester t = tester(kafka(topic).option("startingOffsetsByTimestamp", json)
          .load())) {
        t.runBatch();
      }
    }).hasMessageContaining("No offset matched from request of topic-partition " + topic
        + "-0 and timestamp 5000");
  }

  @Test
  void maxOffsetsPerTriggerIsSharedByWhatEachPartitionHasWaiting() {
    String topic = KafkaTopics.create("limit", 2);
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      many.add("k" + i);
      many.add("v" + i);
    }
    send(topic, 0, many.toArray(String[]::new));
    send(topic, 1, "x", "y");
    try (QueryTester t = tester(kafka(topic).option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", "4").load())) {
      // 12 and 1 waiting: 4 * 12/13 = 3.69 rounds down to 3; 4 * 1/13 = 0.31 rounds up to 1.
      assertThat(t.runBatch()).hasSize(4);
      assertThat(source(t).endOffset()).isEqualTo("{\"" + topic + "\":{\"0\":3,\"1\":1}}");
      // 9 and 0 waiting: the whole limit goes to partition 0.
      assertThat(t.runBatch()).hasSize(4);
      assertThat(source(t).endOffset()).isEqualTo("{\"" + topic + "\":{\"0\":7,\"1\":1}}");
      assertThat(source(t).metrics()).containsEntry("maxOffsetsBehindLatest", "5")
          .containsEntry("minOffsetsBehindLatest", "0")
          .containsEntry("avgOffsetsBehindLatest", "2.5");
    }
  }

  @Test
  void howFarAQueryIsBehindTheLatestOffsetsIsAMeterPerSource() throws Exception {
    String topic = KafkaTopics.create("lag", 1);
    List<String> twelve = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      twelve.add("k" + i);
      twelve.add("v" + i);
    }
    send(topic, 0, twelve.toArray(String[]::new));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SluiceMetrics.bindTo(engine, registry);
    // Called after the meters took each batch: what they showed then, by statistic.
    List<List<Double>> lags = new ArrayList<>();
    CountDownLatch terminated = new CountDownLatch(1);
    engine.addListener(new StreamingQueryListener() {
      @Override
      public void onQueryProgress(QueryProgressEvent event) {
        lags.add(List.of(lag(registry, "max"), lag(registry, "min"), lag(registry, "avg")));
      }

      @Override
      public void onQueryTerminated(QueryTerminatedEvent event) {
        terminated.countDown();
      }
    });
    StreamingQuery query = kafka(topic).option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", "4").load().writeStream().queryName("lagging")
        .format("memory").start();
    query.processAllAvailable();
    query.stop();

    assertThat(terminated.await(10, TimeUnit.SECONDS)).as("terminated heard").isTrue();
    assertThat(lags).containsExactly(List.of(8.0, 8.0, 8.0), List.of(4.0, 4.0, 4.0),
        List.of(0.0, 0.0, 0.0));
    assertThat(registry.getMeters()).as("gone with the query").isEmpty();
  }

  private static double lag(SimpleMeterRegistry registry, String statistic) {
    return registry.get("sluice.query.source.offsets.behind.latest").tag("query", "lagging")
        .tag("statistic", statistic).gauge().value();
  }

  @Test
  void aRestartResumesAfterTheLastBatchWithoutRepeatingIt(@TempDir Path checkpoint) {
    String topic = KafkaTopics.create("restart", 1);
    send(topic, 0, "a", "1");
    Dataset<Row> records = kafka(topic).option("startingOffsets", "earliest").load()
        .selectExpr("CAST(value AS STRING) AS value");
    var writer = records.writeStream().outputMode(OutputMode.APPEND)
        .option("checkpointLocation", checkpoint.toString());
    try (QueryTester t = QueryTester.of(writer)) {
      assertThat(rows(t.runBatch())).containsExactly(List.of("1"));
    }
    send(topic, 0, "b", "2");
    try (QueryTester t = QueryTester.of(writer)) {
      assertThat(rows(t.runBatch())).containsExactly(List.of("2"));
    }
  }

  @Test
  void partitionsAddedWhileRunningAreReadFromTheirStart() throws Exception {
    String topic = KafkaTopics.create("grow", 1);
    try (QueryTester t = tester(kafka(topic).load())) {
      t.runBatch();
      KafkaTopics.broker().admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
          .all().get();
      send(topic, 1, "n", "new");
      send(topic, 0, "o", "old");
      assertThat(rows(t.runBatch())).containsExactlyInAnyOrder(List.of("n", "new", 1, 0L),
          List.of("o", "old", 0, 0L));
    }
  }

  @Test
  void aPatternSubscribesToEveryTopicWhoseNameContainsAMatch() {
    String topic = KafkaTopics.create("pattern-x", 1);
    send(topic, 0, "a", "1");
    Dataset<Row> records = engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers())
        .option("subscribePattern", topic.substring("pattern-".length()))
        .option("startingOffsets", "earliest").load();
    try (QueryTester t = tester(records)) {
      assertThat(rows(t.runBatch())).containsExactly(List.of("a", "1", 0, 0L));
    }
  }

  @Test
  void aBoundedReadEndsAtEndingOffsets() {
    String topic = KafkaTopics.create("bounded", 1);
    send(topic, 0, "a", "1", "b", "2", "c", "3");
    List<Row> rows = engine.read().format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers())
        .option("subscribe", topic)
        .option("endingOffsets", "{\"" + topic + "\":{\"0\":2}}").load()
        .selectExpr("CAST(value AS STRING) AS v").collectAsList();
    assertThat(rows(rows)).containsExactly(List.of("1"), List.of("2"));
  }

  /** Records the broker deleted before the query read them. */
  @Nested
  class LostRecords {
    private String topicWithDeletedRecords() throws Exception {
      String topic = KafkaTopics.create("lost", 1);
      send(topic, 0, "a", "1", "b", "2", "c", "3");
      return topic;
    }

    /** Offset 0 itself, not the earliest the broker has when the query starts. */
    private String from0(String topic) {
      return "{\"" + topic + "\":{\"0\":0}}";
    }

    private void deleteBefore(String topic, long offset) throws Exception {
      KafkaTopics.broker().admin().deleteRecords(Map.of(new TopicPartition(topic, 0),
          RecordsToDelete.beforeOffset(offset))).all().get();
    }

    @Test
    void failTheQueryNamingTheTopicPartitionAndOffsets() throws Exception {
      String topic = topicWithDeletedRecords();
      try (QueryTester t = tester(kafka(topic).option("startingOffsets", from0(topic)).load())) {
        deleteBefore(topic, 2);
        assertThatThrownBy(t::runBatch).hasMessageContaining("Some data may have been lost")
            .hasMessageContaining("Could not read records in offset [0, 3) for topic partition "
                + topic + "-0")
            .hasMessageContaining("failOnDataLoss");
      }
    }

    @Test
    void areSkippedAndCountedWhenFailOnDataLossIsFalse() throws Exception {
      String topic = topicWithDeletedRecords();
      try (QueryTester t = tester(kafka(topic).option("startingOffsets", from0(topic))
          .option("failOnDataLoss", "false").load())) {
        deleteBefore(topic, 2);
        assertThat(rows(t.runBatch())).containsExactly(List.of("c", "3", 0, 2L));
        assertThat(source(t).metrics()).containsEntry("dataLoss", "1")
            .containsEntry("skippedOffsets", "2");
      }
    }
  }

  /** Options Spark refuses, refused with its words. */
  @Nested
  class BadOptions {
    @Test
    void noTopics() {
      assertThatThrownBy(() -> engine.readStream().format("kafka")
          .option("kafka.bootstrap.servers", "localhost:1").load()).hasMessageContaining(
              "One of the following options must be specified for Kafka source: subscribe,"
                  + " subscribepattern, assign");
    }

    @Test
    void twoWaysOfChoosingTopics() {
      assertThatThrownBy(() -> kafka("t").option("assign", "{\"t\":[0]}").load())
          .hasMessageContaining("Only one of the following options can be specified");
    }

    @Test
    void noBootstrapServers() {
      assertThatThrownBy(() -> engine.readStream().format("kafka").option("subscribe", "t")
          .load()).hasMessageContaining("Option 'kafka.bootstrap.servers' must be specified"
              + " for configuring Kafka consumer");
    }

    @Test
    void aResetPolicyOrDeserializerOfKafkasOwn() {
      assertThatThrownBy(() -> kafka("t").option("kafka.auto.offset.reset", "earliest").load())
          .hasMessageContaining("Kafka option 'auto.offset.reset' is not supported");
      assertThatThrownBy(() -> kafka("t").option("kafka.value.deserializer", "x").load())
          .hasMessageContaining("Kafka option 'value.deserializer' is not supported");
    }

    @Test
    void endingOffsetsOnAStream() {
      assertThatThrownBy(() -> kafka("t").option("endingOffsets", "latest").load())
          .hasMessageContaining("ending offset not valid in streaming queries");
    }

    @Test
    void sparksOptionsThatSluiceDoesNotSupportYet() {
      assertThatThrownBy(() -> kafka("t").option("minOffsetsPerTrigger", "10").load())
          .hasMessageContaining("the kafka source does not support option"
              + " 'minOffsetsPerTrigger' yet");
    }

    @Test
    void malformedStartingOffsets() {
      assertThatThrownBy(() -> kafka("t").option("startingOffsets", "{\"t\":[0]}").load())
          .hasMessageContaining("option startingOffsets must be JSON like"
              + " {\"topicA\":{\"0\":23,\"1\":-1},\"topicB\":{\"0\":-2}}, got {\"t\":[0]}");
    }
  }
}
