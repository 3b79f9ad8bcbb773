package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker the runtime's Kafka tests run against is a real one, in a JVM of its own: what
 * kafka-clients produce comes back to a consumer group; what it acknowledged survives a graceful
 * restart and a SIGKILL, at the same bootstrap address, and clients made before reconnect; a
 * transaction's records reach a read_committed consumer only if committed; a broker that cannot
 * start says why; and no broker outlives the JVM that started it, even one killed by SIGKILL.
 */
class KafkaBrokerTest {
  /** A bound on waiting for records, not a claim about speed: the machine may be loaded. */
  private static final Duration WAIT_BOUND = Duration.ofSeconds(60);

  @TempDir
  Path folder;

  @Test
  void recordsProducedWithKafkaClientsAreConsumedBackByAConsumerGroup() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = uniqueTopic("clicks");
    broker.createTopic(topic, 2);
    try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), Map.of())) {
      send(producer, topic, "alice", "home");
      send(producer, topic, "bob", "cart");
      send(producer, topic, "carol", "checkout");
    }

    assertThat(consumeAsGroup(broker.bootstrapServers(), topic, 3))
        .containsExactlyInAnyOrder("alice=home", "bob=cart", "carol=checkout");
  }

  @Test
  void acknowledgedRecordsSurviveAGracefulRestartAndAKillAtTheSameBootstrapAddress()
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.in(folder).start()) {
      String address = broker.bootstrapServers();
      broker.createTopic("orders", 1);
      // One producer throughout: clients made before a restart must carry on after it.
      try (KafkaProducer<String, String> producer = producer(address, Map.of())) {
        send(producer, "orders", "o", "before-restart");
        broker.restart();
        send(producer, "orders", "o", "after-restart");
        broker.kill();
        broker.restart();
        send(producer, "orders", "o", "after-kill");
      }

      assertThat(broker.bootstrapServers()).isEqualTo(address);
      assertThat(readToEnd(address, "orders", "read_uncommitted"))
          .containsExactly("before-restart", "after-restart", "after-kill");
    }
  }

  @Test
  void aReadCommittedConsumerSeesCommittedTransactionsAndNotAnAbortedOne() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = uniqueTopic("payments");
    broker.createTopic(topic, 1);
    Map<String, Object> transactional =
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, uniqueTopic("payments-writer"));
    try (KafkaProducer<String, String> producer =
        producer(broker.bootstrapServers(), transactional)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "p", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "p", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "p", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "p", "committed-3"));
      producer.commitTransaction();
    }

    assertThat(readToEnd(broker.bootstrapServers(), topic, "read_committed"))
        .containsExactly("committed-1", "committed-2", "committed-3");
    // The aborted record was written: only the isolation level keeps it from the reader above.
    assertThat(readToEnd(broker.bootstrapServers(), topic, "read_uncommitted"))
        .containsExactly("committed-1", "committed-2", "aborted", "committed-3");
  }

  @Test
  void theSharedBrokerIsOnePerJvmAndRefusesToBeStoppedByOneTest() {
    KafkaBroker broker = KafkaBroker.shared();

    assertThat(KafkaBroker.shared()).isSameAs(broker);
    assertThat(broker.isRunning()).isTrue();
    assertThatThrownBy(broker::restart).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("KafkaBroker.in(folder)");
    assertThatThrownBy(broker::kill).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(broker::close).isInstanceOf(UnsupportedOperationException.class);
    assertThat(broker.isRunning()).isTrue();
  }

  @Test
  void aBrokerThatCannotStartFailsQuotingTheErrorsInItsLog() throws IOException {
    try (KafkaBroker broker = KafkaBroker.in(folder)) {
      String address = broker.bootstrapServers();
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
      try {
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("did not start")
            .hasMessageContaining(broker.logFile().toString())
            .hasMessageContaining("Address already in use");
      } finally {
        squatter.close();
      }
      assertThat(broker.isRunning()).as("after a failed start").isFalse();
    }
  }

  @Test
  void aBrokerExitsWhenTheJvmThatStartedItIsKilled() throws Exception {
    Process launcher = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), BrokerLauncher.class.getName(),
        folder.toString())
        .redirectErrorStream(true)
        .start();
    ProcessHandle brokerProcess = null;
    try {
      brokerProcess = ProcessHandle.of(awaitBrokerPid(launcher)).orElseThrow();
      assertThat(brokerProcess.isAlive()).as("broker before its launcher dies").isTrue();

      launcher.destroyForcibly().waitFor();

      awaitExit(brokerProcess);
      assertThat(brokerProcess.isAlive())
          .as("broker %d, %s after its launcher was killed", brokerProcess.pid(), WAIT_BOUND)
          .isFalse();
    } finally {
      launcher.destroyForcibly();
      if (brokerProcess != null) {
        // Should the watch fail, the test fails, but leaves no broker behind.
        brokerProcess.destroyForcibly();
      }
    }
  }

  /**
   * A JVM that starts a broker, prints its pid and waits to be killed; then its shutdown hooks
   * never run, and only the broker's watch on its standard input can end it.
   */
  public static final class BrokerLauncher {
    static final String PID_LINE = "broker-pid ";

    public static void main(String[] args) throws InterruptedException {
      KafkaBroker broker = KafkaBroker.in(Path.of(args[0])).start();
      System.out.println(PID_LINE + broker.pid());
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static long awaitBrokerPid(Process launcher) throws IOException {
    BufferedReader lines = new BufferedReader(
        new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith(BrokerLauncher.PID_LINE)) {
        return Long.parseLong(line.substring(BrokerLauncher.PID_LINE.length()).trim());
      }
      seen.add(line);
    }
    throw new AssertionError("the launcher JVM ended without a broker; it printed:\n"
        + String.join("\n", seen));
  }

  /** A bound, not a speed claim: an orphaned broker shuts down, or halts after 30 s. */
  private static void awaitExit(ProcessHandle process) throws Exception {
    try {
      process.onExit().get(WAIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The caller's assertion says what it means.
    }
  }

  private static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private static KafkaProducer<String, String> producer(String address,
      Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static void send(KafkaProducer<String, String> producer, String topic, String key,
      String value) throws InterruptedException, ExecutionException, TimeoutException {
    producer.send(new ProducerRecord<>(topic, key, value))
        .get(WAIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Joins a fresh group on {@code topic} and polls until {@code count} records or the bound. */
  private static List<String> consumeAsGroup(String address, String topic, int count) {
    Map<String, Object> config = consumerConfig(address, "read_uncommitted");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueTopic("group"));
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT_BOUND.toNanos();
      while (records.size() < count && System.nanoTime() - deadline < 0) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          records.add(record.key() + "=" + record.value());
        }
      }
    }
    return records;
  }

  /**
   * The values of partition 0 of {@code topic} from its start to the end this consumer sees at
   * the start, which for read_committed is the last stable offset; markers of transactions take
   * offsets too, so the position, not a count, says when the end is reached.
   */
  private static List<String> readToEnd(String address, String topic, String isolation) {
    TopicPartition partition = new TopicPartition(topic, 0);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(consumerConfig(address, isolation))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), WAIT_BOUND).get(partition);
      long deadline = System.nanoTime() + WAIT_BOUND.toNanos();
      while (consumer.position(partition, WAIT_BOUND) < end && System.nanoTime() - deadline < 0) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static Map<String, Object> consumerConfig(String address, String isolation) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    return config;
  }

  private static KafkaConsumer<String, String> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
