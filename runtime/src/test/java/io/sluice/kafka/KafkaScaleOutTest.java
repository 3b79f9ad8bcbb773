package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.exec.JvmFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one query, each a process of its own with its own checkpoint, split a topic's
 * partitions ({@code instance=0/2}, {@code instance=1/2}): each reads only its partitions, and
 * together they write what one process reading everything would, each result once.
 */
class KafkaScaleOutTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final int PARTITIONS = 4;
  /** Bounds a child's whole run, JVM start to exit; a child that fails ends at once. */
  private static final long CHILD_BOUND_SECONDS = 180;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** A click: the user as the record key, at {@code T0} plus {@code second}. */
  private record Click(String user, long second) {}

  @Test
  void twoInstancesInTwoProcessesTogetherWriteWhatOneWouldEachResultOnce(@TempDir Path dir)
      throws Exception {
    String input = KafkaTopics.create("scale-in", PARTITIONS);
    String output = KafkaTopics.create("scale-out", 1);
    List<Click> clicks = clicks();
    // Kafka's default partitioner, by the key, decides the partitions, as for any producer.
    Map<String, Integer> partitionOfUser = send(input, clicks);
    assertThat(new TreeSet<>(partitionOfUser.values())).as("every partition has users")
        .containsExactly(0, 1, 2, 3);

    List<Instance> instances = List.of(new Instance(0, dir), new Instance(1, dir));
    try {
      for (Instance i : instances) {
        i.start(input, output);
      }
      for (Instance i : instances) {
        i.awaitSuccess();
      }
    } finally {
      instances.forEach(Instance::close);
    }

    for (Instance i : instances) {
      assertThat(i.line(ScaleOutInstance.SOURCE)).isEqualTo("KafkaV2[Subscribe[" + input
          + "], instance " + i.number + "/2]");
      assertThat(i.partitionsRead(input)).as("instance %d read only its partitions", i.number)
          .isEqualTo(i.number == 0 ? Set.of(0, 2) : Set.of(1, 3));
    }
    List<String> written = KafkaTopics.readAll(output, "read_committed");
    assertThat(written).as("each user's minute written once, by one instance")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(clicksPerUserAndMinute(clicks));
  }

  /** 48 clicks of 8 users over 4 minutes. */
  private static List<Click> clicks() {
    List<Click> clicks = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      clicks.add(new Click("user-" + (i * 5 % 8), i * 5L));
    }
    return clicks;
  }

  /** The answer of one process reading everything: "user=minute count", as the query writes. */
  private static List<String> clicksPerUserAndMinute(List<Click> clicks) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Click c : clicks) {
      Instant minute = T0.plusSeconds(c.second()).truncatedTo(ChronoUnit.MINUTES);
      counts.merge(c.user() + "=" + MINUTE.format(minute), 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    counts.forEach((userAndMinute, n) -> out.add(userAndMinute + " " + n));
    return out;
  }

  /** Sends the clicks, partitioned by key; returns the partition each user's clicks went to. */
  private static Map<String, Integer> send(String topic, List<Click> clicks) throws Exception {
    Map<String, Integer> partitions = new TreeMap<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", KafkaTopics.broker().bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      for (Click c : clicks) {
        long time = T0.plusSeconds(c.second()).toEpochMilli();
        int partition = producer.send(new ProducerRecord<>(topic, null, time, c.user(), "page"))
            .get().partition();
        partitions.put(c.user(), partition);
      }
    }
    return partitions;
  }

  /** One instance's JVM, its output in a file. */
  private static final class Instance implements AutoCloseable {
    private final int number;
    private final Path checkpoint;
    private final Path log;
    private Process process;

    Instance(int number, Path dir) {
      this.number = number;
      this.checkpoint = dir.resolve("checkpoint-" + number);
      this.log = dir.resolve("instance-" + number + ".log");
    }

    void start(String input, String output) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(JvmFlags.REQUIRED);
      // A small heap and the serial collector: two children share a small machine with the build.
      command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Dchronicle.analytics.disable=true", "-cp", System.getProperty("java.class.path"),
          ScaleOutInstance.class.getName(), KafkaTopics.broker().bootstrapServers(), input,
          output, checkpoint.toString(), number + "/2"));
      // Standard input stays a pipe: the child exits when this JVM, holding it, is gone.
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    }

    void awaitSuccess() throws Exception {
      boolean ended = process.waitFor(CHILD_BOUND_SECONDS, TimeUnit.SECONDS);
      assertThat(ended).as("instance %d ended within %d s; its output:%n%s", number,
          CHILD_BOUND_SECONDS, output()).isTrue();
      assertThat(process.exitValue()).as("instance %d's exit code; its output:%n%s", number,
          output()).isZero();
    }

    /** What follows {@code marker} on the line the child printed for it. */
    String line(String marker) throws IOException {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith(marker + " ")).map(l -> l.substring(marker.length() + 1))
          .findFirst().orElseThrow(() -> new AssertionError("instance " + number
              + " printed no " + marker + " line; its output:\n" + output()));
    }

    /** The partitions of {@code topic} named in the offsets the child read to. */
    Set<Integer> partitionsRead(String topic) throws IOException {
      String end = line(ScaleOutInstance.END);
      Set<Integer> out = new TreeSet<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\d+)\":")
          .matcher(end.substring(end.indexOf(topic) + topic.length()));
      while (m.find()) {
        out.add(Integer.parseInt(m.group(1)));
      }
      return out;
    }

    private String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    @Override
    public void close() {
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }
}
