package io.sluice.api;

import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.writeFile;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.max;
import static io.sluice.api.Functions.min;
import static io.sluice.api.Functions.sum;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.fixtures.BinaryCount;
import io.sluice.fixtures.Message;
import io.sluice.fixtures.Owner;
import io.sluice.internal.connector.FileSink;
import io.sluice.testkit.QueryTester;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's BINARY type, as a Kafka source's {@code key} and {@code value} columns hold it: a
 * record's {@code byte[]} component is a BINARY column; values compare, group, deduplicate and
 * join by content, never by which array holds them; casts, functions and sinks treat them as Spark
 * does. Every byte array below is made afresh, so only content can make two of them match.
 * Expected values are Spark's for the same input.
 */
class BinaryTypeTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final Sluice engine = Sluice.builder().statePartitions(2)
      .console(new PrintStream(console, true, UTF_8)).build();
  private final MemoryStream<Message> messages = engine.memoryStream(Message.class);

  @TempDir Path dir;
  @TempDir Path checkpoint;

  @AfterEach
  void close() {
    engine.close();
  }

  /** The UTF-8 bytes of {@code text}, in a new array; null for null. */
  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static Message message(byte[] key, byte[] value) {
    return new Message(key, value, "events", 0, 0L);
  }

  private static Message message(String key, String value) {
    return message(utf8(key), utf8(value));
  }

  private static QueryTester tester(Dataset<?> query, OutputMode mode) {
    return QueryTester.of(query.writeStream().outputMode(mode));
  }

  private QueryTester selecting(String... expressions) {
    return tester(messages.toDataset().selectExpr(expressions), OutputMode.APPEND);
  }

  @Nested
  class Columns {
    @Test
    void aByteArrayComponentIsANullableBinaryColumn() {
      assertThat(messages.toDataset().schema().fields()).startsWith(
          Field.nullable("key", DataType.BINARY), Field.nullable("value", DataType.BINARY));
    }

    @Test
    void theMemorySinkKeepsTheBytesAndRowsCompareThemByContent() {
      try (QueryTester t = selecting("key", "value")) {
        messages.addData(message(utf8("k"), null));
        List<Row> rows = t.runBatch();

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("key")).isInstanceOf(byte[].class).isEqualTo(utf8("k"));
        assertThat(rows.get(0).get("value")).isNull();
        Row same = Row.of(rows.get(0).schema(), utf8("k"), null);
        assertThat(rows.get(0)).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(rows.get(0)).isNotEqualTo(Row.of(rows.get(0).schema(), utf8("j"), null));
      }
    }
  }

  @Nested
  class Casts {
    @Test
    void binaryCastsToStringByDecodingUtf8() {
      try (QueryTester t = selecting("CAST(value AS STRING)")) {
        messages.addData(message("k", "h\u00e9llo \u2603"));
        t.expectBatch(row("h\u00e9llo \u2603"));
      }
    }

    @Test
    void aMalformedUtf8SequenceBecomesTheReplacementCharacterAsInSpark() {
      try (QueryTester t = selecting("CAST(value AS STRING)")) {
        messages.addData(message(utf8("k"), bytes('a', 0xff, 'b')));
        t.expectBatch(row("a\ufffdb"));
      }
    }

    @Test
    void stringsCastToUtf8AndIntegersToTheirBigEndianBytes() {
      try (QueryTester t = selecting("CAST(topic AS BINARY)", "CAST(partition AS BINARY)",
          "CAST(offset AS BINARY)")) {
        messages.addData(new Message(null, null, "\u00e9", 258, -2L));
        t.expectBatch(row(bytes(0xc3, 0xa9), bytes(0, 0, 1, 2),
            bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)));
      }
    }

    @Test
    void otherTypesDoNotCastToBinary() {
      assertThatThrownBy(() -> messages.toDataset().selectExpr("CAST(1.5 AS BINARY)"))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("cannot cast 1.5 (DOUBLE) to BINARY; only STRING, INT and"
              + " BIGINT cast to BINARY, as in Spark");
    }
  }

  @Nested
  class Comparisons {
    @Test
    void equalBytesAreEqualWhicheverArraysHoldThem() {
      Dataset<Message> matching = messages.toDataset()
          .filter(expr("key = X'6B31'").or(col("key").equalTo(utf8("k2"))).or(expr("key = value")));
      try (QueryTester t = tester(matching.selectExpr("CAST(value AS STRING)"),
          OutputMode.APPEND)) {
        messages.addData(message("k1", "a"), message("k2", "b"), message("k3", "c"),
            message("same", "same"));
        t.expectBatch(row("a"), row("b"), row("same"));
      }
    }

    @Test
    void notEqualComparesContentToo() {
      try (QueryTester t = tester(messages.toDataset().filter("key <> value")
          .selectExpr("CAST(key AS STRING)"), OutputMode.APPEND)) {
        messages.addData(message("x", "x"), message("y", "z"));
        t.expectBatch(row("y"));
      }
    }

    @Test
    void orderIsUnsignedByteByByteWithAPrefixFirst() {
      // Signed bytes would put 0x80 (-128) below 0x7F.
      try (QueryTester t = tester(messages.toDataset().filter("key > X'7F'").select("key"),
          OutputMode.APPEND)) {
        messages.addData(message(bytes(0x7f), null), message(bytes(0x80), null),
            message(bytes(0x80, 0x00), null), message(bytes(0x7f, 0xff), null),
            message(bytes(), null));
        t.expectBatch(row(bytes(0x80)), row(bytes(0x80, 0x00)), row(bytes(0x7f, 0xff)));
      }
    }

    @Test
    void inIsNullAndNullSafeEqualityLookAtContent() {
      try (QueryTester t = selecting("key IN (X'61', X'62')", "key IS NULL",
          "key <=> value")) {
        messages.addData(message("a", "a"), message("c", "d"),
            new Message(null, null, "events", 0, 0L));
        t.expectBatch(row(true, false, true), row(false, false, false), row(null, true, true));
      }
    }
  }

  @Nested
  class Functions {
    @Test
    void lengthCountsBytesAndBase64AndHexRoundTrip() {
      try (QueryTester t = selecting("length(value)", "length(CAST(value AS STRING))",
          "base64(value)", "unbase64(base64(value)) = value", "hex(value)",
          "unhex(hex(value)) = value", "unbase64('AP8=')")) {
        messages.addData(message("k", "h\u00e9llo"));
        t.expectBatch(row(6, 5, "aMOpbGxv", true, "68C3A96C6C6F", true, bytes(0x00, 0xff)));
      }
    }

    @Test
    void sumOfBinaryIsAnAnalysisError() {
      assertThatThrownBy(() -> messages.toDataset().groupBy("topic").agg(sum("value")))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("function 'sum' needs a numeric argument, but 'value' (BINARY)"
              + " is not");
    }
  }

  @Nested
  class State {
    private Dataset<Row> countsByKey() {
      return messages.toDataset().groupBy("key").agg(count("*").as("n"), max("value").as("top"),
          min("value").as("bottom"));
    }

    @Test
    void groupingByABinaryColumnCountsEqualBytesAsOneKeyAcrossBatches() {
      try (QueryTester t = tester(countsByKey(), OutputMode.UPDATE)) {
        messages.addData(message(utf8("a"), bytes(0x7f)), message(utf8("a"), bytes(0x01)),
            message(utf8("b"), bytes(0x10)));
        t.expectBatch(row(utf8("a"), 2L, bytes(0x7f), bytes(0x01)),
            row(utf8("b"), 1L, bytes(0x10), bytes(0x10)));
        // max is unsigned: 0x80 beats 0x7F, as in Spark.
        messages.addData(message(utf8("a"), bytes(0x80)));
        t.expectBatch(row(utf8("a"), 3L, bytes(0x80), bytes(0x01)));
      }
    }

    @Test
    void theStateReaderShowsBinaryKeysAndAggregates() {
      try (QueryTester t = QueryTester.of(countsByKey().writeStream()
          .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString()))) {
        messages.addData(message(utf8("a"), bytes(0x01)), message(utf8("a"), bytes(0x02)));
        t.runBatch();
      }
      List<Row> state = engine.read().state(checkpoint.toString())
          .select("key", "n", "top", "bottom").collectAsList();

      assertThat(state).containsExactly(Row.of(state.get(0).schema(), utf8("a"), 2L,
          bytes(0x02), bytes(0x01)));
    }

    @Test
    void aBinaryKeyKeepsItsStateAcrossARestart() throws InterruptedException {
      writeFile(dir, "1.json", 1, json("a", "AQ=="), json("b", "Ag=="));
      List<List<Object>> first = runCountsFromFiles();
      writeFile(dir, "2.json", 2, json("a", "gA=="));
      List<List<Object>> second = runCountsFromFiles();

      assertThat(first).containsExactlyInAnyOrder(List.of("a", 1L, "01"),
          List.of("b", 1L, "02"));
      assertThat(second).containsExactly(List.of("a", 2L, "80"));
    }

    /** A message line with key {@code key} (as text) and a value given in Base64. */
    private String json(String key, String base64Value) {
      return "{\"key\":\"" + Base64.getEncoder().encodeToString(utf8(key))
          + "\",\"value\":\"" + base64Value + "\",\"topic\":\"t\",\"partition\":0,\"offset\":0}";
    }

    /** Counts the files' messages by key on a new engine, as a restarted process would. */
    private List<List<Object>> runCountsFromFiles() throws InterruptedException {
      List<List<Object>> rows = new ArrayList<>();
      try (Sluice restarted = Sluice.builder().statePartitions(2).build()) {
        StreamingQuery q = restarted.readStream().json(dir.toString(), Message.class)
            .groupBy("key").agg(count("*").as("n"), max("value").as("top"))
            .selectExpr("CAST(key AS STRING)", "n", "hex(top)")
            .writeStream().outputMode(OutputMode.UPDATE)
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.availableNow())
            .foreachBatch((batch, id) -> {
              for (Row r : batch.collectAsList()) {
                rows.add(List.of(r.get(0), r.get(1), r.get(2)));
              }
            })
            .start();
        q.awaitTermination();
      }
      return rows;
    }

    @Test
    void dropDuplicatesByABinaryColumnKeepsTheFirstRowOfEachContent() {
      Dataset<Row> firsts = messages.toDataset().dropDuplicates("key")
          .selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)");
      try (QueryTester t = tester(firsts, OutputMode.APPEND)) {
        messages.addData(message("a", "1"), message("a", "2"), message("b", "1"));
        t.expectBatch(row("a", "1"), row("b", "1"));
        messages.addData(message("a", "3"), message("c", "1"));
        t.expectBatch(row("c", "1"));
      }
    }

    @Test
    void aByteArrayKeyOfGroupByKeyIsOneKeyPerContentWithStateAcrossBatches() {
      Dataset<BinaryCount> counts = messages.toDataset().groupByKey(Message::key, byte[].class)
          .mapGroupsWithState((byte[] key, Iterator<Message> values,
              GroupState<BinaryCount> state) -> {
            long n = state.getOption().map(BinaryCount::n).orElse(0L);
            byte[] last = null;
            for (; values.hasNext(); n++) {
              last = values.next().value();
            }
            state.update(new BinaryCount(key, last, n));
            return state.get();
          }, BinaryCount.class, BinaryCount.class);
      try (QueryTester t = tester(counts, OutputMode.UPDATE)) {
        messages.addData(message("a", "1"), message("a", "2"), message("b", "1"));
        t.expectBatch(row(utf8("a"), utf8("2"), 2L), row(utf8("b"), utf8("1"), 1L));
        messages.addData(message("a", "3"));
        t.expectBatch(row(utf8("a"), utf8("3"), 3L));
      }
    }
  }

  @Nested
  class Joins {
    @Test
    void aStreamStaticJoinMatchesKeysByContent() {
      Dataset<Owner> owners = engine.createDataset(List.of(new Owner(utf8("a"), "ann"),
          new Owner(utf8("b"), "bob"), new Owner(null, "nobody")), Owner.class);
      Dataset<Row> joined = messages.toDataset().alias("m")
          .join(owners.alias("o"), expr("m.key = o.key"), "left_outer")
          .selectExpr("CAST(value AS STRING)", "name");
      try (QueryTester t = tester(joined, OutputMode.APPEND)) {
        messages.addData(message("a", "1"), message("c", "2"), message(null, "3"));
        t.expectBatch(row("1", "ann"), row("2", null), row("3", null));
      }
    }

    @Test
    void aStreamStreamJoinMatchesKeysByContent() {
      MemoryStream<Message> replies = engine.memoryStream(Message.class);
      Dataset<Row> joined = messages.toDataset().alias("l")
          .join(replies.toDataset().alias("r"), expr("l.key = r.key"))
          .selectExpr("CAST(l.value AS STRING)", "CAST(r.value AS STRING)");
      try (QueryTester t = tester(joined, OutputMode.APPEND)) {
        messages.addData(message("a", "ask"), message("b", "ask"));
        t.expectBatch();
        replies.addData(message("a", "answer"), message("c", "answer"));
        t.expectBatch(row("ask", "answer"));
      }
    }
  }

  @Nested
  class Records {
    @Test
    void mapFunctionsTakeAndReturnByteArrays() {
      Dataset<Owner> swapped = messages.toDataset()
          .map(m -> new Message(m.value(), m.key(), m.topic(), 0, 0L), Message.class)
          .select("key", "topic")
          .map(r -> new Owner((byte[]) r.get("key"), r.getString("topic")), Owner.class);
      try (QueryTester t = tester(swapped, OutputMode.APPEND)) {
        messages.addData(message("k", "v"), new Message(utf8("k"), null, "t", 0, 0L));
        t.expectBatch(row(utf8("v"), "events"), row(null, "t"));
      }
    }
  }

  @Nested
  class Sinks {
    @Test
    void theConsoleShowsBytesAsHexInBracketsAsSparkDoes() {
      StreamingQuery q = messages.toDataset().select("key", "value").writeStream()
          .format("console").start();
      messages.addData(message(utf8("abc"), bytes(0x00, 0xff)), message(utf8(""), null));
      q.processAllAvailable();
      q.stop();

      assertThat(console.toString(UTF_8)).isEqualTo("""
          -------------------------------------------
          Batch: 0
          -------------------------------------------
          +----------+-------+
          |       key|  value|
          +----------+-------+
          |[61 62 63]|[00 FF]|
          |        []|   NULL|
          +----------+-------+

          """);
    }

    @Test
    void theJsonFileSinkWritesBase64AndTheJsonSourceReadsItBack() throws IOException {
      Path out = dir.resolve("out");
      StreamingQuery writer = messages.toDataset().writeStream().format("json")
          .option("checkpointLocation", checkpoint.toString()).start(out.toString());
      messages.addData(new Message(utf8("a"), bytes(0x00, 0xff, 0x10), "t", 1, 7L),
          new Message(bytes(), null, "t", 1, 8L));
      writer.processAllAvailable();
      writer.stop();

      List<String> lines = new ArrayList<>();
      for (Path file : FileSink.committedFiles(out)) {
        lines.addAll(Files.readAllLines(file, UTF_8));
      }
      assertThat(lines).containsExactly(
          "{\"key\":\"YQ==\",\"value\":\"AP8Q\",\"topic\":\"t\",\"partition\":1,\"offset\":7}",
          "{\"key\":\"\",\"value\":null,\"topic\":\"t\",\"partition\":1,\"offset\":8}");
      List<Message> back = engine.read().json(out.toString(), Message.class).collectAsList();
      assertThat(back).extracting(Message::key, Message::value)
          .containsExactly(tuple(utf8("a"), bytes(0x00, 0xff, 0x10)), tuple(bytes(), null));
    }

    @Test
    void aJsonValueThatIsNotBase64IsABadRecordNamingTheField() {
      writeFile(dir, "bad.json", 1, "{\"key\":\"not base64!\",\"topic\":\"t\",\"partition\":0,"
          + "\"offset\":0}");
      assertThatThrownBy(() -> engine.read().json(dir.toString(), Message.class).collectAsList())
          .hasMessageContaining("field 'key' expects BINARY but found 'not base64!' (expected"
              + " Base64)");
    }

    @Test
    void theCsvSourceRefusesABinaryColumnNamingItAsSparkDoes() {
      writeFile(dir, "m.csv", 1, "YQ==,YQ==,t,0,1");
      assertThatThrownBy(() -> engine.read().csv(dir.toString(), Message.class).collectAsList())
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("column 'key' is BINARY, which CSV cannot hold (Spark's CSV"
              + " format refuses it too); use JSON, where a BINARY is a Base64 string");
    }
  }
}
