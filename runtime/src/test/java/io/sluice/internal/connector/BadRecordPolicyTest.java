package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static io.sluice.internal.connector.ConnectorTestSupport.row;
import static io.sluice.internal.connector.ConnectorTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file source does with records it cannot decode, under each policy. */
class BadRecordPolicyTest {
  private static final Schema SCHEMA =
      Schema.of(Field.required("page", DataType.STRING), Field.required("clicks", DataType.LONG));

  @TempDir Path dir;
  @TempDir Path bad;

  private Path input;

  private void writeInput() {
    input =
        write(
            dir,
            "clicks.json",
            1,
            "{\"page\": \"home\", \"clicks\": 1}",
            "{\"page\": \"cart\", \"clicks\": \"many\"}",
            "not json at all",
            "{\"page\": \"help\", \"clicks\": 3}");
  }

  private FileSource source(Options options) {
    writeInput();
    return new FileSource(dir, "json", SCHEMA, options);
  }

  @Test
  void parsesPolicyNamesAndSparkModes() {
    assertThat(BadRecordPolicy.parse("fail")).isEqualTo(BadRecordPolicy.FAIL);
    assertThat(BadRecordPolicy.parse("FAILFAST")).isEqualTo(BadRecordPolicy.FAIL);
    assertThat(BadRecordPolicy.parse("Drop")).isEqualTo(BadRecordPolicy.DROP);
    assertThat(BadRecordPolicy.parse("DROPMALFORMED")).isEqualTo(BadRecordPolicy.DROP);
    assertThat(BadRecordPolicy.parse("deadLetter")).isEqualTo(BadRecordPolicy.DEAD_LETTER);
    assertThat(BadRecordPolicy.parse("DEADLETTER")).isEqualTo(BadRecordPolicy.DEAD_LETTER);
  }

  @Test
  void rejectsUnknownPolicyNames() {
    assertThatThrownBy(() -> BadRecordPolicy.parse("ignore"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/InvalidOption] bad-record policy 'ignore' is not one of fail, drop, deadLetter"
                + " (or Spark's FAILFAST, DROPMALFORMED)");
    assertThatThrownBy(() -> BadRecordPolicy.parse("PERMISSIVE"))
        .hasMessageContaining("'PERMISSIVE' is not supported");
  }

  @Test
  void failIsTheDefaultAndNamesFileAndLine() {
    FileSource source = source(options());

    assertThatThrownBy(() -> read(source, null, source.latestOffset(null)))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/MalformedRecord] malformed record in "
                + input
                + " line 2: field 'clicks' expects BIGINT but found a string")
        .extracting(e -> ((SluiceException) e).kind())
        .isEqualTo(ErrorKind.MALFORMED_RECORD);
  }

  @Test
  void sparkFailFastModeFails() {
    FileSource source = source(options("mode", "FAILFAST"));

    assertThatThrownBy(() -> read(source, null, source.latestOffset(null)))
        .hasMessageContaining(input + " line 2: ");
  }

  @Test
  void dropSkipsAndCountsBadRecords() {
    FileSource source = source(options("badRecords", "drop"));

    assertThat(read(source, null, source.latestOffset(null)))
        .containsExactly(row("home", 1L), row("help", 3L));
    assertThat(source.metrics()).isEqualTo(Map.of("numMalformedRows", "2"));
    assertThat(source.totalMalformedRows()).isEqualTo(2);
  }

  @Test
  void sparkDropMalformedModeDrops() {
    FileSource source = source(options("mode", "DROPMALFORMED"));

    assertThat(read(source, null, source.latestOffset(null))).hasSize(2);
  }

  @Test
  void metricsAreOfTheLastReadAndTotalsAccumulate() {
    FileSource source = source(options("badRecords", "drop"));
    Offset first = source.latestOffset(null);
    read(source, null, first);
    write(dir, "more.json", 2, "{\"page\": \"x\"}");
    Offset second = source.latestOffset(first);
    read(source, first, second);

    assertThat(source.metrics()).containsEntry("numMalformedRows", "1");
    assertThat(source.totalMalformedRows()).isEqualTo(3);
  }

  @Test
  void aBadFieldAfterGoodOnesLeavesNoPartialRow() {
    write(
        dir,
        "a.json",
        1,
        "{\"page\": \"ok\", \"clicks\": 1}",
        "{\"page\": \"half\", \"clicks\": true}",
        "{\"page\": \"ok2\", \"clicks\": 2}");
    FileSource source = new FileSource(dir, "json", SCHEMA, options("badRecords", "drop"));
    List<Integer> sizes = new java.util.ArrayList<>();
    source.read(
        null,
        source.latestOffset(null),
        chunk -> {
          sizes.add(chunk.size());
          assertThat(chunk.column(0).size).isEqualTo(chunk.column(1).size);
          assertThat(ConnectorTestSupport.copy(chunk))
              .containsExactly(row("ok", 1L), row("ok2", 2L));
        });

    assertThat(sizes).containsExactly(2);
  }

  @Test
  void deadLetterKeepsRawRecordsWithFileLineAndError() throws Exception {
    FileSource source =
        source(options("badRecords", "deadLetter", "badRecordsPath", bad.toString()));

    assertThat(read(source, null, source.latestOffset(null))).hasSize(2);
    assertThat(source.metrics())
        .isEqualTo(Map.of("numMalformedRows", "2", "numDeadLetteredRows", "2"));
    assertThat(source.totalDeadLetteredRows()).isEqualTo(2);

    List<Path> files = list(bad);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .startsWith("bad-records-00000-00001-")
        .endsWith(".json");
    String file = input.toString().replace("\\", "\\\\");
    assertThat(Files.readAllLines(files.get(0), StandardCharsets.UTF_8))
        .containsExactly(
            "{\"file\":\""
                + file
                + "\",\"line\":2,\"error\":\"field 'clicks' expects BIGINT but found a string\","
                + "\"record\":\"{\\\"page\\\": \\\"cart\\\", \\\"clicks\\\": \\\"many\\\"}\"}",
            "{\"file\":\""
                + file
                + "\",\"line\":3,\"error\":\"not valid JSON: Unrecognized token 'not': was"
                + " expecting"
                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\","
                + "\"record\":\"not json at all\"}");
  }

  @Test
  void rereadingARangeReplacesItsDeadLettersInsteadOfDuplicatingThem() throws Exception {
    FileSource source =
        source(options("badRecords", "deadLetter", "badRecordsPath", bad.toString()));
    Offset end = source.latestOffset(null);
    read(source, null, end);
    read(source, null, end);

    List<Path> files = list(bad);
    assertThat(files).hasSize(1);
    assertThat(Files.readAllLines(files.get(0))).hasSize(2);
  }

  @Test
  void noDeadLetterFileWhenEveryRecordIsGood() throws Exception {
    write(dir, "good.json", 1, "{\"page\": \"home\", \"clicks\": 1}");
    FileSource source =
        new FileSource(
            dir,
            "json",
            SCHEMA,
            options("badRecords", "deadLetter", "badRecordsPath", bad.toString()));

    read(source, null, source.latestOffset(null));

    assertThat(list(bad)).isEmpty();
    assertThat(source.metrics())
        .isEqualTo(Map.of("numMalformedRows", "0", "numDeadLetteredRows", "0"));
  }

  @Test
  void deadLetterNeedsBadRecordsPath() {
    assertThatThrownBy(
            () -> new FileSource(dir, "json", SCHEMA, options("badRecords", "deadLetter")))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/InvalidOption] file source option 'badRecords' is deadLetter, which needs"
                + " option 'badRecordsPath' (a directory for the dead-letter files)");
  }

  @Test
  void unknownPolicyOptionNamesTheOption() {
    assertThatThrownBy(() -> new FileSource(dir, "json", SCHEMA, options("badRecords", "skip")))
        .hasMessage(
            "[Sluice/InvalidOption] test connector option 'badRecords' is 'skip' but must be fail,"
                + " drop or deadLetter (or Spark's FAILFAST, DROPMALFORMED)");
  }

  @Test
  void conflictingPolicyAndModeAreRejected() {
    assertThatThrownBy(
            () ->
                new FileSource(
                    dir, "json", SCHEMA, options("badRecords", "drop", "mode", "FAILFAST")))
        .hasMessageContaining("'badRecords' (drop) and 'mode' (FAILFAST) disagree");
  }

  @Test
  void csvPoliciesWorkTheSameWay() {
    write(dir, "a.csv", 1, "home,1", "cart", "help,3");
    FileSource failing = new FileSource(dir, "csv", SCHEMA, options());
    FileSource dropping = new FileSource(dir, "csv", SCHEMA, options("badRecords", "drop"));

    assertThatThrownBy(() -> read(failing, null, failing.latestOffset(null)))
        .hasMessageEndingWith(dir.resolve("a.csv") + " line 2: expected 2 fields but found 1");
    assertThat(read(dropping, null, dropping.latestOffset(null)))
        .containsExactly(row("home", 1L), row("help", 3L));
  }

  private static List<Path> list(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    }
  }
}
