package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static io.sluice.internal.connector.ConnectorTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's layout, its exactly-once commits, and reading its output back. */
class FileSinkTest {
  private static final Schema SCHEMA =
      Schema.of(Field.required("page", DataType.STRING), Field.required("count", DataType.LONG));

  @TempDir Path out;

  private static ColumnBatch chunk(Schema schema, Object[]... rows) {
    ColumnBatch chunk = new ColumnBatch(schema, 16);
    for (Object[] row : rows) {
      chunk.appendRow(row);
    }
    return chunk;
  }

  private static ColumnBatch pages(String... pages) {
    ColumnBatch chunk = new ColumnBatch(SCHEMA, 16);
    for (int i = 0; i < pages.length; i++) {
      chunk.appendRow(pages[i], (long) i);
    }
    return chunk;
  }

  private FileSink sink(Options options) {
    return new FileSink(out, options);
  }

  private List<String> dataFileNames() throws Exception {
    try (Stream<Path> files = Files.list(out)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("_"))
          .sorted()
          .toList();
    }
  }

  private List<String> lines(Path file) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  @Test
  void writesPartFilesAndALogEntryListingThem() throws Exception {
    FileSink sink = sink(options());
    sink.addBatch(0, SCHEMA, List.of(pages("home", "cart")), OutputMode.APPEND);

    List<String> names = dataFileNames();
    assertThat(names).singleElement().asString().matches("part-00000-[0-9a-f-]{36}\\.json");
    assertThat(lines(out.resolve(names.get(0))))
        .containsExactly("{\"page\":\"home\",\"count\":0}", "{\"page\":\"cart\",\"count\":1}");
    assertThat(lines(out.resolve("_sluice_sink_log/0"))).hasSize(2)
        .first().asString().matches("sluice-checkpoint v1 crc32=[0-9a-f]{8} length=\\d+");
    assertThat(lines(out.resolve("_sluice_sink_log/0"))).last().isEqualTo(names.get(0));
    assertThat(FileSink.committedFiles(out)).containsExactly(out.resolve(names.get(0)));
    assertThat(sink.description()).isEqualTo("FileSink[" + out + "]");
  }

  @Test
  void writesEveryTypeAsJsonThatReadsBack() throws Exception {
    Schema schema =
        Schema.of(
            Field.nullable("i", DataType.INT),
            Field.nullable("l", DataType.LONG),
            Field.nullable("d", DataType.DOUBLE),
            Field.nullable("b", DataType.BOOLEAN),
            Field.nullable("s", DataType.STRING),
            Field.nullable("t", DataType.TIMESTAMP),
            Field.nullable("v", DataType.INTERVAL));
    long ts = Instant.parse("2024-01-01T00:00:00.250Z").toEpochMilli();
    ColumnBatch chunk =
        chunk(
            schema,
            new Object[] {1, 2L, 0.1, true, "a \"quoted\"\nline", ts, 5000L},
            new Object[] {null, null, null, null, null, null, null},
            new Object[] {-1, Long.MIN_VALUE, Double.NaN, false, "", 0L, 0L});
    sink(options()).addBatch(3, schema, List.of(chunk), OutputMode.APPEND);

    Path part = FileSink.committedFiles(out).get(0);
    assertThat(lines(part))
        .containsExactly(
            "{\"i\":1,\"l\":2,\"d\":0.1,\"b\":true,\"s\":\"a \\\"quoted\\\"\\nline\","
                + "\"t\":\"2024-01-01T00:00:00.250Z\",\"v\":\"PT5S\"}",
            "{\"i\":null,\"l\":null,\"d\":null,\"b\":null,\"s\":null,\"t\":null,\"v\":null}",
            "{\"i\":-1,\"l\":-9223372036854775808,\"d\":\"NaN\",\"b\":false,\"s\":\"\","
                + "\"t\":\"1970-01-01T00:00:00.000Z\",\"v\":\"PT0S\"}");

    FileSource source = new FileSource(out, "json", schema, options());
    assertThat(read(source, null, source.latestOffset(null)))
        .containsExactly(
            row(1, 2L, 0.1, true, "a \"quoted\"\nline", ts, 5000L),
            row(null, null, null, null, null, null, null),
            row(-1, Long.MIN_VALUE, Double.NaN, false, "", 0L, 0L));
  }

  @Test
  void rerunningACommittedBatchWritesNothing() throws Exception {
    FileSink sink = sink(options());
    sink.addBatch(0, SCHEMA, List.of(pages("home")), OutputMode.APPEND);
    List<String> before = dataFileNames();

    sink.addBatch(0, SCHEMA, List.of(pages("other", "rows")), OutputMode.APPEND);
    new FileSink(out, options()).addBatch(0, SCHEMA, List.of(pages("x")), OutputMode.APPEND);

    assertThat(dataFileNames()).isEqualTo(before);
    assertThat(lines(out.resolve(before.get(0))))
        .containsExactly("{\"page\":\"home\",\"count\":0}");
  }

  @Test
  void maxRecordsPerFileSplitsABatchIntoParts() throws Exception {
    ColumnBatch first = pages("a", "b", "c");
    ColumnBatch empty = pages();
    ColumnBatch second = pages("d", "e");
    sink(options("maxRecordsPerFile", "2"))
        .addBatch(1, SCHEMA, List.of(first, empty, second), OutputMode.APPEND);

    List<Path> parts = FileSink.committedFiles(out);
    assertThat(parts).hasSize(3);
    assertThat(parts)
        .allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith("part-00001-"));
    assertThat(parts.stream().map(p -> uncheckedLines(p).size()).toList()).containsExactly(2, 2, 1);
    FileSource source = new FileSource(out, "json", SCHEMA, options());
    assertThat(read(source, null, source.latestOffset(null)).stream().map(r -> r.get(0)).toList())
        .containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void targetFileSizeStartsANewPartOnceTheCurrentOneHasReachedIt() throws Exception {
    // Each row is 23 bytes: a part ends with the row that takes it to 50 bytes or more.
    sink(options("targetFileSize", "50"))
        .addBatch(0, SCHEMA, List.of(pages("a", "b", "c", "d", "e")), OutputMode.APPEND);

    List<Path> parts = FileSink.committedFiles(out);
    assertThat(parts.stream().map(p -> uncheckedLines(p).size()).toList()).containsExactly(3, 2);
    assertThat(Files.size(parts.get(0))).isEqualTo(69);
  }

  @Test
  void targetFileSizeAndMaxRecordsPerFileEndAPartAtWhicheverComesFirst() throws Exception {
    sink(options("targetFileSize", "50", "maxRecordsPerFile", "2"))
        .addBatch(0, SCHEMA, List.of(pages("a", "b", "c", "d", "e")), OutputMode.APPEND);
    sink(options("targetFileSize", "1k", "maxRecordsPerFile", "4"))
        .addBatch(1, SCHEMA, List.of(pages("a", "b", "c", "d", "e")), OutputMode.APPEND);
    sink(options("targetFileSize", "30", "maxRecordsPerFile", "4"))
        .addBatch(2, SCHEMA, List.of(pages("a", "b", "c", "d", "e")), OutputMode.APPEND);

    assertThat(FileSink.committedFiles(out).stream().map(p -> uncheckedLines(p).size()).toList())
        .containsExactly(2, 2, 1, 4, 1, 2, 2, 1);
  }

  @Test
  void targetFileSizeTakesBinaryUnitsAsSparkDoes() {
    Options options = options("a", "128m", "b", "1 KB", "c", "7", "d", "2G", "e", "3b");
    assertThat(options.getBytes("a", 0)).isEqualTo(128L << 20);
    assertThat(options.getBytes("b", 0)).isEqualTo(1024);
    assertThat(options.getBytes("c", 0)).isEqualTo(7);
    assertThat(options.getBytes("d", 0)).isEqualTo(2L << 30);
    assertThat(options.getBytes("e", 0)).isEqualTo(3);
    assertThat(options.getBytes("missing", 5)).isEqualTo(5);
  }

  @Test
  void anEmptyBatchCommitsALogEntryWithoutFiles() throws Exception {
    sink(options()).addBatch(0, SCHEMA, List.of(), OutputMode.APPEND);

    assertThat(dataFileNames()).isEmpty();
    assertThat(lines(out.resolve("_sluice_sink_log/0"))).singleElement().asString()
        .endsWith("length=0");
    assertThat(FileSink.committedFiles(out)).isEmpty();
  }

  @Test
  void aFileSourceReadsOnlyCommittedFiles() throws Exception {
    FileSink sink = sink(options());
    FileSource source = new FileSource(out, "json", SCHEMA, options());
    assertThat(source.latestOffset(null)).isNull();

    sink.addBatch(0, SCHEMA, List.of(pages("home")), OutputMode.APPEND);
    // What a crash leaves: a part file renamed before its log entry, and a temporary file.
    Files.writeString(out.resolve("part-00001-orphan.json"), "{\"page\":\"orphan\",\"count\":9}\n");
    Files.writeString(out.resolve(".part-00001-x.json.tmp"), "{\"page\":\"tmp\",\"count\":9}\n");
    Offset first = source.latestOffset(null);
    assertThat(first).isEqualTo(new LongOffset(1));
    assertThat(read(source, null, first)).containsExactly(row("home", 0L));

    sink.addBatch(1, SCHEMA, List.of(pages("cart")), OutputMode.APPEND);
    Offset second = source.latestOffset(first);
    assertThat(second).isEqualTo(new LongOffset(2));
    assertThat(read(source, first, second)).containsExactly(row("cart", 0L));
  }

  @Test
  void aRerunAfterACrashReplacesTheFailedAttemptsParts() throws Exception {
    Files.writeString(out.resolve("part-00004-orphan.json"), "{\"page\":\"orphan\",\"count\":9}\n");
    Files.writeString(out.resolve(".part-00004-x.json.tmp"), "partial");
    Files.writeString(out.resolve("part-00040-other.json"), "{}\n");

    sink(options()).addBatch(4, SCHEMA, List.of(pages("home")), OutputMode.APPEND);

    assertThat(dataFileNames())
        .hasSize(2)
        .contains("part-00040-other.json")
        .noneMatch(n -> n.contains("orphan") || n.endsWith(".tmp"));
  }

  @Test
  void completeAndUpdateModesAreRejected() {
    FileSink sink = sink(options());

    assertThatThrownBy(() -> sink.addBatch(0, SCHEMA, List.of(), OutputMode.COMPLETE))
        .isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/OutputMode] file sink supports append output mode only, not complete")
        .extracting(e -> ((SluiceException) e).kind())
        .isEqualTo(ErrorKind.OUTPUT_MODE);
    assertThatThrownBy(() -> sink.addBatch(0, SCHEMA, List.of(), OutputMode.UPDATE))
        .hasMessageEndingWith("not update");
    assertThat(out.resolve("_sluice_sink_log/0")).doesNotExist();
  }

  @Test
  void invalidOptionsAreRejected() {
    assertThatThrownBy(() -> sink(options("maxRecordsPerFile", "-1")))
        .hasMessage(
            "[Sluice/InvalidOption] test connector option 'maxRecordsPerFile' is '-1' but must be 0"
                + " (no limit) or more");
    assertThatThrownBy(() -> sink(options("format", "parquet")))
        .hasMessageContaining("option 'format' is 'parquet'");
    assertThatThrownBy(() -> sink(options("targetFileSize", "1.5m")))
        .hasMessage("[Sluice/InvalidOption] test connector option 'targetFileSize' is '1.5m' but"
            + " must be a size in bytes such as 1048576 or 1m (units b, k, m, g, t)");
    assertThatThrownBy(() -> sink(options("targetFileSize", "9000000t")))
        .hasMessageEndingWith("(units b, k, m, g, t) below 8 exbibytes");
    assertThatThrownBy(() -> sink(options("compactInterval", "0")))
        .hasMessage("[Sluice/InvalidOption] test connector option 'compactInterval' is '0' but"
            + " must be 1 or more (the sink log folds its entries every that many batches)");
  }

  @Test
  void anUnknownLogVersionIsAnError() throws Exception {
    sink(options());
    Path entry = out.resolve("_sluice_sink_log/0");
    Files.writeString(entry, "sluice-checkpoint v9 crc32=00000000 length=0\n");

    assertThatThrownBy(() -> FileSink.committedFiles(out))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("checkpoint file " + entry + " has format version 9");
  }

  @Test
  void aDamagedLogEntryIsAnErrorNamingIt() throws Exception {
    FileSink sink = sink(options());
    sink.addBatch(0, SCHEMA, List.of(pages("home")), OutputMode.APPEND);
    Path entry = out.resolve("_sluice_sink_log/0");
    Files.writeString(entry, Files.readString(entry).replace("part-", "part_"));

    assertThatThrownBy(() -> FileSink.committedFiles(out))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("checkpoint file " + entry + " is corrupt: its checksum");
  }

  private List<String> uncheckedLines(Path file) {
    try {
      return lines(file);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
