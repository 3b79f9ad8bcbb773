package io.sluice.kafka;

import static io.sluice.kafka.KafkaTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataReader;
import io.sluice.api.DataStreamWriter;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.SourceProgress;
import io.sluice.testkit.QueryTester;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewPartitions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance of a scaled-out query, {@code instance=i/n}, reads partition p of each topic when
 * p mod n is i: only those, partitions added later by the same rule, and its progress says so.
 */
class KafkaInstanceShareTest {
  private final Sluice engine = Sluice.builder().statePartitions(1).build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** Instance {@code instance} (null: all partitions) of {@code topic}, as (value, partition). */
  private DataStreamWriter<Row> query(String topic, @Nullable String instance,
      String startingOffsets) {
    DataReader reader = engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers())
        .option("subscribe", topic)
        .option("startingOffsets", startingOffsets);
    if (instance != null) {
      reader.option("instance", instance);
    }
    return reader.load().selectExpr("CAST(value AS STRING) AS value", "partition")
        .writeStream().outputMode(OutputMode.APPEND);
  }

  private QueryTester instance(String topic, String instance, String startingOffsets) {
    return QueryTester.of(query(topic, instance, startingOffsets));
  }

  /** One record in each of {@code topic}'s partitions {@code from} to {@code to}, "p<n>". */
  private static void sendToEachPartition(String topic, int from, int to) {
    for (int p = from; p <= to; p++) {
      send(topic, p, "k", "p" + p);
    }
  }

  private static List<List<Object>> rows(List<Row> rows) {
    return rows.stream().map(r -> java.util.Arrays.asList(r.values())).toList();
  }

  private static SourceProgress source(QueryTester t) {
    return t.lastProgress().sources().get(0);
  }

  @Test
  void readsOnlyItsPartitionsAndSaysWhichShareItReads() {
    String topic = KafkaTopics.create("share", 4);
    sendToEachPartition(topic, 0, 3);
    try (QueryTester t = instance(topic, "1/2", "earliest")) {
      assertThat(rows(t.runBatch())).containsExactlyInAnyOrder(List.of("p1", 1),
          List.of("p3", 3));
      assertThat(source(t).description())
          .isEqualTo("KafkaV2[Subscribe[" + topic + "], instance 1/2]");
      assertThat(source(t).endOffset()).isEqualTo("{\"" + topic + "\":{\"1\":1,\"3\":1}}");
    }
  }

  @Test
  void partitionsAddedLaterGoToTheInstanceTheSameRuleNames() throws Exception {
    String topic = KafkaTopics.create("grown-share", 2);
    try (QueryTester t = instance(topic, "1/2", "earliest")) {
      t.runBatch();
      KafkaTopics.broker().admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(4)))
          .all().get();
      sendToEachPartition(topic, 0, 3);
      assertThat(rows(t.runBatch())).containsExactlyInAnyOrder(List.of("p1", 1),
          List.of("p3", 3));
      assertThat(source(t).endOffset()).isEqualTo("{\"" + topic + "\":{\"1\":1,\"3\":1}}");
    }
  }

  @Test
  void startingOffsetsNamingEveryPartitionAreTakenByEachInstanceForItsOwn() {
    String topic = KafkaTopics.create("share-offsets", 2);
    send(topic, 0, "a", "skipped", "b", "read");
    send(topic, 1, "c", "not this instance's");
    String everyPartition = "{\"" + topic + "\":{\"0\":1,\"1\":0}}";
    try (QueryTester t = instance(topic, "0/2", everyPartition)) {
      assertThat(rows(t.runBatch())).containsExactly(List.of("read", 0));
    }
  }

  /** Runs one batch of {@code topic}'s query on {@code checkpoint} as {@code instance}. */
  private void runOnce(String topic, @Nullable String instance, Path checkpoint) {
    try (QueryTester t = QueryTester.of(query(topic, instance, "earliest")
        .option("checkpointLocation", checkpoint.toString()))) {
      t.runBatch();
    }
  }

  /**
   * A checkpoint holds the offsets and state of its instance's partitions only; with another
   * share, partitions would move to checkpoints that lack their offsets (read again from the
   * start, or not at all) and their keys' state. The share is part of the source's
   * description, which a checkpoint must match.
   */
  @Test
  void aCheckpointRunsOnlyWithTheShareItWasWrittenWith(@TempDir Path checkpoint) {
    String topic = KafkaTopics.create("kept-share", 2);
    send(topic, 0, "a", "p0");
    runOnce(topic, "0/2", checkpoint);
    runOnce(topic, "0/2", checkpoint);
    assertThatThrownBy(() -> runOnce(topic, "0/3", checkpoint)).hasMessageContaining(
        "[Sluice/Checkpoint] checkpoint " + checkpoint + " belongs to a query reading KafkaV2["
            + "Subscribe[" + topic + "], instance 0/2]; this query reads KafkaV2[Subscribe["
            + topic + "], instance 0/3]: its offsets would mean nothing to this source");
    assertThatThrownBy(() -> runOnce(topic, null, checkpoint)).hasMessageContaining(
        "this query reads KafkaV2[Subscribe[" + topic + "]]: its offsets would mean nothing");
  }

  @Test
  void aCheckpointOfAllPartitionsIsNotSplitAfterwards(@TempDir Path checkpoint) {
    String topic = KafkaTopics.create("whole-then-share", 2);
    send(topic, 0, "a", "p0");
    runOnce(topic, null, checkpoint);
    assertThatThrownBy(() -> runOnce(topic, "1/2", checkpoint)).hasMessageContaining(
        "belongs to a query reading KafkaV2[Subscribe[" + topic + "]]; this query reads"
            + " KafkaV2[Subscribe[" + topic + "], instance 1/2]");
  }
}
