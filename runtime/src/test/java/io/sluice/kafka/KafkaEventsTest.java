package io.sluice.kafka;

import static io.sluice.kafka.KafkaTopics.text;
import static io.sluice.kafka.KafkaTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataReader;
import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.internal.batch.CodecSupport;
import io.sluice.testkit.QueryTester;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka values read as events of a record type, from a real broker: each value format of the
 * generated codecs (written here with the codecs' own writers) and whole values as text or
 * bytes; the record's metadata as columns after the event's, renamed where the event has a field
 * of the name; headers by name; and values that hold no event failing the query at their
 * topic-partition and offset, dropped and counted, or sent once to a dead-letter topic.
 */
public class KafkaEventsTest {
  public record Click(String user, String page, long ts) {}

  /** A component of every type the codecs' binary layout has. */
  public record Reading(long id, int channel, double value, boolean valid, @Nullable Long batch,
      @Nullable String unit, @Nullable Instant at, byte @Nullable [] raw) {}

  public record Line(@Nullable String text) {}

  public record Blob(byte @Nullable [] data) {}

  /** Fields named as two of the record's metadata columns. */
  public record Stamped(String user, long timestamp, long offset) {}

  /** Takes both names the record's offset could have. */
  public record Clash(String user, long offset, long kafka_offset) {}

  private final Sluice engine = Sluice.builder().statePartitions(1).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private DataReader kafka(String topic, String valueFormat) {
    return engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers())
        .option("subscribe", topic).option("startingOffsets", "earliest")
        .option("valueFormat", valueFormat);
  }

  /** A bounded read of the whole topic. */
  private DataReader bounded(String topic, String valueFormat) {
    return engine.read().format("kafka")
        .option("kafka.bootstrap.servers", KafkaTopics.broker().bootstrapServers())
        .option("subscribe", topic).option("valueFormat", valueFormat);
  }

  /** A record for partition 0 of {@code topic}. */
  private static ProducerRecord<byte[], byte[]> record(String topic, @Nullable String key,
      byte @Nullable [] value, Header... headers) {
    byte[] keyBytes = key == null ? null : utf8(key);
    return new ProducerRecord<>(topic, 0, keyBytes, value, List.of(headers));
  }

  private static void sendValues(String topic, @Nullable String key, byte[]... values) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (byte[] value : values) {
      records.add(record(topic, key, value));
    }
    KafkaTopics.send(records);
  }

  /** A click as the generated codec's {@code toJson} writes it. */
  private static byte[] json(String user, String page, long ts) {
    CodecSupport.JsonWriter writer = new CodecSupport.JsonWriter();
    writer.writeString("user", user);
    writer.writeString("page", page);
    writer.writeLong("ts", ts);
    return utf8(writer.finish());
  }

  private static QueryTester append(Dataset<?> rows) {
    return QueryTester.of(rows.writeStream().outputMode(OutputMode.APPEND));
  }

  private static List<List<Object>> rows(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(Arrays.asList(r.values())));
    return out;
  }

  private static Map<String, String> metrics(QueryTester t) {
    return t.lastProgress().sources().get(0).metrics();
  }

  /** Each value format, and the codecs' writers as what writes it. */
  @Nested
  class ValueFormats {
    @Test
    void jsonAsTheCodecWritesIt() {
      String topic = KafkaTopics.create("events-json", 1);
      sendValues(topic, "k", json("ann", "/home", 1000), json("bob", "/cart", 2000));
      List<Click> clicks = bounded(topic, "json").load(Click.class).collectAsList();
      assertThat(clicks).containsExactly(new Click("ann", "/home", 1000),
          new Click("bob", "/cart", 2000));
    }

    @Test
    void csvAsTheCodecWritesIt() {
      String topic = KafkaTopics.create("events-csv", 1);
      CodecSupport.CsvWriter first = new CodecSupport.CsvWriter();
      first.writeString("ann");
      first.writeString("/home, with a comma");
      first.writeLong(1000);
      sendValues(topic, null, utf8(first.toString()));
      assertThat(bounded(topic, "csv").load(Click.class).collectAsList())
          .containsExactly(new Click("ann", "/home, with a comma", 1000));
    }

    @Test
    void binaryAsTheCodecWritesItNullsIncluded() throws IOException {
      String topic = KafkaTopics.create("events-binary", 1);
      Instant at = Instant.parse("2024-02-29T23:59:59.123Z");
      Reading full = new Reading(-1, 7, 2.5, true, 42L, "°C ✓", at, new byte[] {0, -1, 5});
      Reading empty = new Reading(Long.MAX_VALUE, Integer.MIN_VALUE, -0.5, false, null,
          null, null, null);
      sendValues(topic, null, binary(full), binary(empty));
      List<Reading> read = bounded(topic, "binary").load(Reading.class).collectAsList();
      assertThat(read).usingRecursiveFieldByFieldElementComparator()
          .containsExactly(full, empty);
    }

    /** The calls a generated codec's {@code writeBinary} makes for {@link Reading}. */
    private byte[] binary(Reading r) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(r.id());
      out.writeInt(r.channel());
      out.writeDouble(r.value());
      out.writeBoolean(r.valid());
      CodecSupport.writeNullableLong(out, r.batch());
      CodecSupport.writeString(out, r.unit());
      CodecSupport.writeInstant(out, r.at());
      CodecSupport.writeBytes(out, r.raw());
      return bytes.toByteArray();
    }

    @Test
    void stringAndBytesAreTheWholeValueATombstoneANull() {
      String topic = KafkaTopics.create("events-whole", 1);
      sendValues(topic, null, utf8("héllo"), null, new byte[] {(byte) 0xC3});
      assertThat(bounded(topic, "string").load(Line.class).collectAsList())
          .containsExactly(new Line("héllo"), new Line(null), new Line("\uFFFD"));
      assertThat(bounded(topic, "bytes").load(Blob.class).collectAsList())
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactly(new Blob(utf8("héllo")), new Blob(null), new Blob(new byte[] {-61}));
    }

    @Test
    void stringAndBytesNeedAnEventOfOneSuchComponent() {
      assertThatThrownBy(() -> kafka("t", "string").load(Click.class)).hasMessageContaining(
          "option 'valueFormat' is 'string', which reads the whole value as an event of one"
              + " String component, but Click has (user STRING, page STRING, ts BIGINT NOT"
              + " NULL)");
      assertThatThrownBy(() -> kafka("t", "bytes").load(Line.class))
          .hasMessageContaining("an event of one byte[] component, but Line has");
    }

    @Test
    void theFormatMustBeNamedAndKnown() {
      DataReader unnamed = engine.readStream().format("kafka")
          .option("kafka.bootstrap.servers", "localhost:1").option("subscribe", "t");
      assertThatThrownBy(() -> unnamed.load(Click.class)).hasMessageContaining("kafka source"
          + " needs option 'valueFormat' to read records of Click: json, csv, binary, string or"
          + " bytes");
      assertThatThrownBy(() -> kafka("t", "avro").load(Click.class)).hasMessageContaining(
          "kafka source option 'valueFormat' is 'avro' but must be json, csv, binary, string or"
              + " bytes");
    }
  }

  /** The record's metadata beside the event's fields. */
  @Nested
  class Metadata {
    @Test
    void followsTheEventsFieldsForFiltersAndProjections() {
      String topic = KafkaTopics.create("events-meta", 1);
      sendValues(topic, "k0", json("ann", "/home", 1000), json("bob", "/cart", 2000));
      Dataset<Click> clicks = kafka(topic, "json").load(Click.class);
      assertThat(clicks.schema().names()).containsExactly("user", "page", "ts", "key", "topic",
          "partition", "offset", "timestamp", "timestampType");
      try (QueryTester t = append(clicks.filter("offset >= 1").selectExpr("user",
          "CAST(key AS STRING) AS key", "topic", "partition", "offset", "timestampType"))) {
        assertThat(rows(t.runBatch())).containsExactly(
            List.of("bob", "k0", topic, 0, 1L, 0)); // 0: the producer's create time
      }
    }

    @Test
    void operationsOnTheRecordsSeeTheEventOnly() {
      String topic = KafkaTopics.create("events-typed", 1);
      sendValues(topic, null, json("ann", "/home", 1000), json("bob", "/cart", 2000));
      Dataset<Line> lines = kafka(topic, "json").load(Click.class).filter("offset = 1")
          .map(c -> new Line(c.user() + " " + c.page()), Line.class);
      assertThat(lines.schema().names()).containsExactly("text");
      try (QueryTester t = append(lines)) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("bob /cart"));
      }
      assertThat(bounded(topic, "json").load(Click.class).filter("offset = 0").collectAsList())
          .containsExactly(new Click("ann", "/home", 1000));
    }

    @Test
    void anEventFieldKeepsItsNameAndTheMetadataTakesAPrefix() {
      String topic = KafkaTopics.create("events-clash", 1);
      sendValues(topic, null, utf8("{\"user\":\"ann\",\"timestamp\":5,\"offset\":70}"));
      Dataset<Stamped> stamped = kafka(topic, "json").load(Stamped.class);
      assertThat(stamped.schema().names()).containsExactly("user", "timestamp", "offset", "key",
          "topic", "partition", "kafka_offset", "kafka_timestamp", "timestampType");
      try (QueryTester t = append(stamped.selectExpr("user", "timestamp", "offset",
          "kafka_offset", "kafka_timestamp"))) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("ann", 5L, 70L, 0L,
            timestampOf(topic, 0)));
      }
    }

    @Test
    void anEventThatTakesBothNamesIsRefused() {
      assertThatThrownBy(() -> kafka("t", "json").load(Clash.class)).hasMessageContaining(
          "cannot read Clash from Kafka: its fields 'offset' and 'kafka_offset' take both names"
              + " the record's offset column could have; rename one of them");
    }

    @Test
    void headersByNameTheLastOfEachNameOrNull() {
      String topic = KafkaTopics.create("events-headers", 1);
      KafkaTopics.send(List.of(record(topic, null, json("ann", "/home", 1),
          new RecordHeader("trace", utf8("t1")), new RecordHeader("trace", utf8("t2")),
          new RecordHeader("tenant", utf8("acme"))), record(topic, null, json("bob", "/cart", 2))));
      Dataset<Click> clicks = kafka(topic, "json").option("headerColumns", "trace, tenant")
          .load(Click.class);
      try (QueryTester t = append(clicks.selectExpr("user", "CAST(header_trace AS STRING) AS t",
          "CAST(header_tenant AS STRING) AS tenant"))) {
        assertThat(rows(t.runBatch())).containsExactly(Arrays.asList("ann", "t2", "acme"),
            Arrays.asList("bob", null, null));
      }
    }

    @Test
    void headerColumnsFollowSparksColumnsInAnUntypedRead() {
      Dataset<Row> records = engine.readStream().format("kafka")
          .option("kafka.bootstrap.servers", "localhost:1").option("subscribe", "t")
          .option("headerColumns", "trace").load();
      assertThat(records.schema().names()).containsExactly("key", "value", "topic",
          "partition", "offset", "timestamp", "timestampType", "header_trace");
    }

    @Test
    void sparksIncludeHeadersPointsToHeaderColumns() {
      assertThatThrownBy(() -> kafka("t", "json").option("includeHeaders", "true")
          .load(Click.class)).hasMessageContaining("option headerColumns reads the headers it"
              + " names, each as a BINARY column header_<name>");
    }
  }

  /** Values that hold no event, under each bad-record policy. */
  @Nested
  class BadValues {
    private String topicWithBadValues() {
      String topic = KafkaTopics.create("events-bad", 1);
      KafkaTopics.send(List.of(record(topic, null, json("ann", "/home", 1)),
          record(topic, "k1", utf8("{\"user\":\"bob\",\"page\":\"/cart\",\"ts\":\"late\"}"),
              new RecordHeader("trace", utf8("t1"))),
          record(topic, "k2", null),
          record(topic, null, json("cat", "/help", 3))));
      return topic;
    }

    private Dataset<Row> users(DataReader reader) {
      return reader.load(Click.class).selectExpr("user");
    }

    @Test
    void failTheQueryNamingTopicPartitionOffsetAndTheField() {
      String topic = topicWithBadValues();
      try (QueryTester t = append(users(kafka(topic, "json")))) {
        assertThatThrownBy(t::runBatch).hasMessageStartingWith("[Sluice/MalformedRecord]")
            .hasMessageContaining("batch 0").hasMessageContaining("malformed value in Kafka"
                + " record " + topic + "-0 offset 1 (valueFormat json): field 'ts' expects"
                + " BIGINT but found a string");
      }
    }

    @Test
    void binaryValuesOfAnotherTypeFailNamingWhatIsWrong() {
      String topic = KafkaTopics.create("events-bad-binary", 1);
      sendValues(topic, null, new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
      assertThatThrownBy(() -> bounded(topic, "binary").load(Reading.class).collectAsList())
          .hasMessageContaining("malformed value in Kafka record " + topic + "-0 offset 0"
              + " (valueFormat binary): the value ends inside field 'channel' (INT): 4 more"
              + " bytes needed, 0 left");
    }

    @Test
    void areDroppedAndCounted() {
      String topic = topicWithBadValues();
      try (QueryTester t = append(users(kafka(topic, "json").option("badRecords", "drop")))) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("ann"), List.of("cat"));
        assertThat(metrics(t)).containsEntry("numMalformedRows", "2")
            .doesNotContainKey("numDeadLetteredRows");
      }
    }

    @Test
    void goToTheDeadLetterTopicAsTheyCameWithTheErrorAndOrigin() {
      String topic = topicWithBadValues();
      String dead = KafkaTopics.create("events-dead", 1);
      try (QueryTester t = append(users(kafka(topic, "json").option("badRecords", "deadLetter")
          .option("deadLetterTopic", dead)))) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("ann"), List.of("cat"));
        assertThat(metrics(t)).containsEntry("numMalformedRows", "2")
            .containsEntry("numDeadLetteredRows", "2");
      }
      List<ConsumerRecord<byte[], byte[]>> letters = KafkaTopics.records(dead, "read_committed");
      assertThat(letters).hasSize(2);
      ConsumerRecord<byte[], byte[]> first = letters.get(0);
      assertThat(text(first.key())).isEqualTo("k1");
      assertThat(text(first.value())).isEqualTo("{\"user\":\"bob\",\"page\":\"/cart\","
          + "\"ts\":\"late\"}");
      assertThat(headers(first)).containsEntry("trace", "t1")
          .containsEntry("sluice.error", "field 'ts' expects BIGINT but found a string")
          .containsEntry("sluice.topic", topic).containsEntry("sluice.partition", "0")
          .containsEntry("sluice.offset", "1")
          .containsEntry("sluice.timestamp", Long.toString(timestampOf(topic, 1)));
      ConsumerRecord<byte[], byte[]> tombstone = letters.get(1);
      assertThat(text(tombstone.key())).isEqualTo("k2");
      assertThat(tombstone.value()).isNull();
      assertThat(headers(tombstone)).containsEntry("sluice.offset", "2").containsEntry(
          "sluice.error", "the value is null (a tombstone), which holds no event");
    }

    @Test
    void areNotDeadLetteredAgainWhenTheirBatchRunsAgain(@TempDir Path checkpoint)
        throws Exception {
      String topic = topicWithBadValues();
      String dead = KafkaTopics.create("events-dead-rerun", 1);
      var writer = users(kafka(topic, "json").option("badRecords", "deadLetter")
          .option("deadLetterTopic", dead)).writeStream().outputMode(OutputMode.APPEND)
          .option("checkpointLocation", checkpoint.toString());
      try (QueryTester t = QueryTester.of(writer)) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("ann"), List.of("cat"));
      }
      // A crash after the batch's rows were written, before it committed: it runs again.
      Files.delete(checkpoint.resolve("commits").resolve("0"));
      try (QueryTester t = QueryTester.of(writer)) {
        assertThat(t.nextBatchId()).isZero();
        assertThat(rows(t.runBatch())).containsExactly(List.of("ann"), List.of("cat"));
        assertThat(metrics(t)).containsEntry("numDeadLetteredRows", "2");
      }
      assertThat(KafkaTopics.readAll(dead, "read_committed")).containsExactly(
          "k1={\"user\":\"bob\",\"page\":\"/cart\",\"ts\":\"late\"}", "k2=null");
    }

    @Test
    void deadLetterNeedsATopicAndATopicNeedsDeadLetter() {
      assertThatThrownBy(() -> kafka("t", "json").option("badRecords", "deadLetter")
          .load(Click.class)).hasMessageContaining("kafka source option 'badRecords' is"
              + " deadLetter, which needs option 'deadLetterTopic'");
      assertThatThrownBy(() -> kafka("t", "json").option("deadLetterTopic", "dead")
          .load(Click.class)).hasMessageContaining("option 'deadLetterTopic' is used only when"
              + " option 'badRecords' is deadLetter");
    }

    @Test
    void decodingOptionsNeedAnEventType() {
      assertThatThrownBy(() -> kafka("t", "json").load()).hasMessageContaining(
          "kafka source option 'valueFormat' is about decoding values into events: read them"
              + " with load(YourEvent.class)");
    }
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> out = new TreeMap<>();
    r.headers().forEach(h -> out.put(h.key(), text(h.value())));
    return out;
  }

  private static long timestampOf(String topic, long offset) {
    return KafkaTopics.records(topic, "read_uncommitted").get((int) offset).timestamp();
  }
}
