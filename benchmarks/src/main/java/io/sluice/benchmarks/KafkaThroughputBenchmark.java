package io.sluice.benchmarks;

import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;
import io.sluice.kafka.KafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end throughput through a Kafka broker in one process: a query reads {@link #records}
 * click records (user as key, a 60-byte JSON value) from a topic of {@link #partitions}
 * partitions, keeps those not from bots, and writes them to another topic, at least once or
 * exactly once ({@link #delivery}); each measurement is a whole availableNow run, from starting
 * the query to its last batch committed.
 *
 * <p>Without {@link #bootstrap}, it starts the test suite's broker ({@code KafkaBroker}, a child
 * JVM on loopback) on the same machine, which then shares its cores. Each run checks that every
 * record was read and the kept ones written, and prints records per second of wall-clock time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Xmx2g"})
public class KafkaThroughputBenchmark {
  /** Records in the input topic. */
  @Param("2000000")
  public long records;

  @Param("2")
  public int partitions;

  /** The most offsets a batch reads. */
  @Param("500000")
  public long maxOffsetsPerTrigger;

  /** {@code at-least-once} or {@code exactly-once}. */
  @Param({"at-least-once", "exactly-once"})
  public String delivery;

  /** A broker to use; empty starts one on loopback. */
  @Param("")
  public String bootstrap;

  private KafkaBroker broker;
  private String servers;
  private Admin admin;
  private String input;
  private String output;
  private Path checkpoint;
  private long kept;
  private final OtherLoad others = new OtherLoad();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startNanos;
  private long startCpuNanos;
  private long readRows;

  @Setup(Level.Trial)
  public void fillInputTopic() throws Exception {
    if (bootstrap.isEmpty()) {
      broker = KafkaBroker.in(Files.createTempDirectory("sluice-bench-kafka-")).start();
      servers = broker.bootstrapServers();
    } else {
      servers = bootstrap;
    }
    admin = Admin.create(Map.of("bootstrap.servers", servers));
    input = "bench-clicks-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createTopics(List.of(new NewTopic(input, partitions, (short) 1))).all().get();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", servers, "linger.ms", "20", "batch.size", "262144"),
        new StringSerializer(), new StringSerializer())) {
      for (long i = 0; i < records; i++) {
        String user = i % 7 == 6 ? "bot" : "user" + i % 1000;
        producer.send(new ProducerRecord<>(input, (int) (i % partitions), user,
            "{\"user\":\"" + user + "\",\"page\":\"/p" + i % 50 + "\",\"n\":" + i + "}"));
      }
      producer.flush();
    }
    kept = records - records / 7;
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws Exception {
    output = "bench-out-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createTopics(List.of(new NewTopic(output, partitions, (short) 1))).all().get();
    checkpoint = Files.createTempDirectory("sluice-bench-ckpt-");
    others.start();
    startCpuNanos = os.getProcessCpuTime();
    startNanos = System.nanoTime();
  }

  @Benchmark
  public long run() throws Exception {
    try (Sluice engine = Sluice.create()) {
      StreamingQuery query = engine.readStream().format("kafka")
          .option("kafka.bootstrap.servers", servers)
          .option("subscribe", input)
          .option("startingOffsets", "earliest")
          .option("maxOffsetsPerTrigger", maxOffsetsPerTrigger)
          .load()
          .selectExpr("CAST(key AS STRING) AS user", "key", "value")
          .where("user <> 'bot'")
          .selectExpr("key", "value")
          .writeStream()
          .format("kafka")
          .option("kafka.bootstrap.servers", servers)
          .option("topic", output)
          .option("deliveryGuarantee", delivery)
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.availableNow())
          .start();
      query.awaitTermination();
      if (query.exception() != null) {
        throw query.exception();
      }
      readRows = 0;
      for (StreamingQueryProgress p : query.recentProgress()) {
        readRows += p.numInputRows();
      }
      return readRows;
    }
  }

  @TearDown(Level.Invocation)
  public void report() throws Exception {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double cpuSeconds = (os.getProcessCpuTime() - startCpuNanos) / 1e9;
    long written = outputRecords();
    if (readRows != records || written < kept) {
      throw new IllegalStateException("read " + readRows + " of " + records + " records, wrote "
          + written + " of " + kept);
    }
    System.out.printf("%nKafka %s: %,d records in %.2f s: %.0f records/s read, %.0f written;"
        + " %.2f CPU-s in this process; other processes (the broker too) %d%% of the CPU%n",
        delivery, records, seconds, records / seconds, kept / seconds, cpuSeconds,
        others.percent());
    deleteTree(checkpoint);
  }

  /** The output topic's end offsets summed: records, plus a marker per transaction. */
  private long outputRecords() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(output, p), OffsetSpec.latest());
    }
    long sum = 0;
    for (var info : admin.listOffsets(latest).all().get().values()) {
      sum += info.offset();
    }
    return sum;
  }

  @TearDown(Level.Trial)
  public void stopBroker() {
    admin.close();
    if (broker != null) {
      broker.close();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
