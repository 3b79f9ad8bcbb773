package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running query that reads a Kafka topic and writes another exactly once outlives a restart of
 * its broker, graceful or after SIGKILL, that falls in the middle of one of its transactions: it
 * stays active, and a read_committed consumer of its output ends up with every input record
 * once, none lost to the restart and none written twice by the batch it interrupted.
 */
class KafkaBrokerRestartTest {
  /** Records per phase: before the restart, around it, and after it. */
  private static final int RECORDS = 60;
  /** Several batches, hence several transactions, per phase. */
  private static final int RECORDS_PER_BATCH = 15;
  /** A bound on waiting for the output, not a claim about speed: the machine may be loaded. */
  private static final Duration OUTPUT_BOUND = Duration.ofSeconds(120);
  private static final long POLL_PAUSE_MILLIS = 250;

  @TempDir
  static Path folder;
  private static KafkaBroker broker;

  private final Sluice engine = Sluice.builder().statePartitions(1).build();

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.in(folder.resolve("broker")).start();
  }

  @AfterAll
  static void closeBroker() {
    broker.close();
  }

  @AfterEach
  void close() {
    RestartInTransaction.clear();
    engine.close();
  }

  @Test
  void aGracefulRestartInTheMiddleOfATransactionLosesAndRepeatsNoRecord(
      @TempDir Path checkpoint) throws Exception {
    runAcross(broker::restart, checkpoint);
  }

  @Test
  void aKillAndRestartInTheMiddleOfATransactionLosesAndRepeatsNoRecord(
      @TempDir Path checkpoint) throws Exception {
    runAcross(() -> {
      broker.kill();
      broker.start();
    }, checkpoint);
  }

  /**
   * Sends a first phase of records and waits for the query to write them, so that it has run
   * transactions before the restart; sends a second, in the middle of whose writing the sink's
   * producer restarts the broker ({@link RestartInTransaction}); once the broker is back, sends a
   * third.
   *
   * <p>The record that restarts the broker is one of partition 1 halfway through the second
   * phase: the source reads a batch's records partition after partition, so the sink has sent
   * that batch's records of partition 0 in the transaction before it.
   */
  private void runAcross(Runnable restart, Path checkpoint) throws Exception {
    String input = KafkaTopics.create(broker, "restart-in", 2);
    String output = KafkaTopics.create(broker, "restart-out", 2);
    CountDownLatch restarted = RestartInTransaction.arm(key("during", RECORDS / 2 + 1), restart);
    StreamingQuery query = start(input, output, checkpoint);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      List<String> expected = new ArrayList<>();
      send(producer, input, "before", expected);
      awaitOutput(query, output, expected);
      send(producer, input, "during", expected);
      awaitRestart(query, restarted);
      send(producer, input, "after", expected);

      awaitOutput(query, output, expected);
      // Every batch the input makes has run: a record written twice would show now.
      query.processAllAvailable();
      assertThat(KafkaTopics.readAll(broker.bootstrapServers(), output, "read_committed"))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(query.exception()).isNull();
      assertThat(query.isActive()).isTrue();
    } finally {
      query.stop();
    }
  }

  /** Input key and value pass through, the value upper-cased: {@code during-7=V7}. */
  private StreamingQuery start(String input, String output, Path checkpoint) {
    return engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", broker.bootstrapServers())
        .option("subscribe", input)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", RECORDS_PER_BATCH)
        .load()
        .selectExpr("CAST(key AS STRING) AS key", "upper(CAST(value AS STRING)) AS value")
        .writeStream().outputMode(OutputMode.APPEND).format("kafka")
        .option("kafka.bootstrap.servers", broker.bootstrapServers())
        .option("kafka.interceptor.classes", RestartInTransaction.class.getName())
        .option("topic", output)
        .option("deliveryGuarantee", "exactly-once")
        .option("checkpointLocation", checkpoint.toString())
        .start();
  }

  private static String key(String phase, int i) {
    return phase + "-" + i;
  }

  /**
   * Sends a phase's records, {@code phase-i -> vi}, spread over both partitions, and waits until
   * the broker acknowledged them all; adds the output each must become to {@code expected}.
   */
  private static void send(KafkaProducer<String, String> producer, String topic, String phase,
      List<String> expected) throws InterruptedException, ExecutionException, TimeoutException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      sent.add(producer.send(new ProducerRecord<>(topic, i % 2, key(phase, i), "v" + i)));
      expected.add(key(phase, i) + "=V" + i);
    }
    for (Future<RecordMetadata> record : sent) {
      record.get(OUTPUT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Waits, within the bound, for the restart that the query's sink set off. */
  private static void awaitRestart(StreamingQuery query, CountDownLatch restarted)
      throws InterruptedException {
    if (!restarted.await(OUTPUT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the sink never wrote the record that restarts the broker; the"
          + " query's exception: " + query.exception());
    }
  }

  /**
   * Reads the output with read_committed until every expected record is there, and returns all
   * it read; fails, naming what is missing, once the query has stopped or past the bound.
   */
  private static List<String> awaitOutput(StreamingQuery query, String output,
      List<String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + OUTPUT_BOUND.toNanos();
    while (true) {
      // Asked before reading: once the query has stopped, what the read misses stays missing.
      boolean active = query.isActive();
      List<String> read = KafkaTopics.readAll(broker.bootstrapServers(), output, "read_committed");
      Set<String> missing = new HashSet<>(expected);
      read.forEach(missing::remove);
      if (missing.isEmpty()) {
        return read;
      }
      if (!active || System.nanoTime() - deadline > 0) {
        throw new AssertionError(missing.size() + " of " + expected.size() + " records missing"
            + " from " + output + (active ? " after " + OUTPUT_BOUND.toSeconds() + " s"
                : ", and the query has stopped") + ", e.g. "
            + missing.stream().sorted().limit(10).toList() + "; the query's exception: "
            + query.exception());
      }
      Thread.sleep(POLL_PAUSE_MILLIS);
    }
  }

  /**
   * A producer interceptor, named by the sink's {@code kafka.interceptor.classes}, that restarts
   * the broker when the sink sends the record of one key: inside a transaction, after it has sent
   * some of its batch's records and before it commits, on the query's own thread, which so
   * carries on only once the broker is back. Kafka makes it by its class name, hence the static
   * hand-over from the test.
   */
  public static final class RestartInTransaction implements ProducerInterceptor<byte[], byte[]> {
    private static final AtomicReference<@Nullable Armed> ARMED = new AtomicReference<>();

    private record Armed(String key, Runnable restart, CountDownLatch done) {}

    /** Restarts the broker once, by {@code restart}, at the record of {@code key}. */
    static CountDownLatch arm(String key, Runnable restart) {
      Armed armed = new Armed(key, restart, new CountDownLatch(1));
      ARMED.set(armed);
      return armed.done();
    }

    static void clear() {
      ARMED.set(null);
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
      Armed armed = ARMED.get();
      if (armed != null && record.key() != null
          && armed.key().equals(new String(record.key(), StandardCharsets.UTF_8))
          && ARMED.compareAndSet(armed, null)) {
        armed.restart().run();
        armed.done().countDown();
      }
      return record;
    }

    @Override
    public void onAcknowledgement(@Nullable RecordMetadata metadata,
        @Nullable Exception exception) {
      // only sending matters here
    }

    @Override
    public void close() {
      // nothing held
    }

    @Override
    public void configure(Map<String, ?> configs) {
      // armed by the test, not configured
    }
  }
}
