package io.sluice.crash;

import io.sluice.api.DataStreamWriter;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.kafka.KafkaBroker;
import io.sluice.kafka.KafkaTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka side of a run of the {@link CrashKind#KAFKA} kind: the broker's address and the run's
 * two topics, the input {@link KafkaInput} feeds and the output the query's exactly-once sink
 * writes, both of two partitions; the child gets them as arguments ({@link #args}). Read back,
 * the output is what a read_committed consumer sees, and the batch the sink last wrote is the one
 * its transactions commit as the offset of their consumer group on the output's partition 0.
 */
record CrashTopics(String bootstrapServers, String input, String output) implements CrashOutput {
  static final int PARTITIONS = 2;
  /** Small, so that a backlog takes several batches and a kill often lands between two. */
  static final long MAX_RECORDS_PER_TRIGGER = 100;
  /** The query's name, which the sink's transactional id, the name of its group, starts with. */
  private static final String QUERY_NAME = "crash-kafka";
  private static final String GROUP_PREFIX = "sluice-" + QUERY_NAME + "-";

  /** Two new topics on {@code broker}, with names no other run uses. */
  static CrashTopics create(KafkaBroker broker) {
    return new CrashTopics(broker.bootstrapServers(),
        KafkaTopics.create(broker, "crash-input", PARTITIONS),
        KafkaTopics.create(broker, "crash-output", PARTITIONS));
  }

  /** The arguments that tell the child where the topics are; {@link #of} reads them back. */
  List<String> args() {
    return List.of(bootstrapServers, input, output);
  }

  static CrashTopics of(List<String> args) {
    return new CrashTopics(args.get(0), args.get(1), args.get(2));
  }

  /** The input's records, from its start, at most {@link #MAX_RECORDS_PER_TRIGGER} a batch. */
  Dataset<Row> records(Sluice engine) {
    return engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("subscribe", input)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", MAX_RECORDS_PER_TRIGGER)
        .load();
  }

  /** Starts {@code writer}'s query writing to the output, exactly once. */
  StreamingQuery start(DataStreamWriter<Row> writer) {
    return writer.queryName(QUERY_NAME).format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("topic", output)
        .option("deliveryGuarantee", "exactly-once")
        .start();
  }

  /** The output's records as {@code [id, amount]}, read with read_committed. */
  @Override
  public Map<List<Object>, Long> rows() {
    Map<List<Object>, Long> rows = new HashMap<>();
    for (String record : KafkaTopics.readAll(bootstrapServers, output, "read_committed")) {
      int separator = record.indexOf('=');
      rows.merge(List.of(Long.parseLong(record.substring(0, separator)),
          Long.parseLong(record.substring(separator + 1))), 1L, Long::sum);
    }
    return rows;
  }

  /**
   * Whether the batch the sink last committed is {@code batchId} or later. Its group is found by
   * the partition it commits to, not by the name the sink derives from the checkpoint's path.
   */
  @Override
  public boolean wrote(long batchId) {
    TopicPartition marker = new TopicPartition(output, 0);
    try (Admin admin = admin()) {
      for (GroupListing group : get(admin.listGroups().all())) {
        if (group.groupId().startsWith(GROUP_PREFIX)) {
          OffsetAndMetadata committed = get(admin.listConsumerGroupOffsets(group.groupId())
              .partitionsToOffsetAndMetadata()).get(marker);
          if (committed != null) {
            return committed.offset() - 1 >= batchId;
          }
        }
      }
    }
    return false;
  }

  @Override
  public boolean transactional() {
    return true;
  }

  /**
   * Whether a partition of the output ends later for read_uncommitted than for read_committed:
   * the last stable offset stays behind records of a transaction still open.
   */
  @Override
  public boolean leftOpen() {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      ends.put(new TopicPartition(output, p), OffsetSpec.latest());
    }
    try (Admin admin = admin()) {
      Map<TopicPartition, Long> stable = ends(admin, ends, IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, Long> written = ends(admin, ends, IsolationLevel.READ_UNCOMMITTED);
      return stable.keySet().stream().anyMatch(tp -> stable.get(tp) < written.get(tp));
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> ends,
      IsolationLevel isolation) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    get(admin.listOffsets(ends, new ListOffsetsOptions(isolation)).all())
        .forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers));
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker could not answer: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the broker", e);
    }
  }
}
