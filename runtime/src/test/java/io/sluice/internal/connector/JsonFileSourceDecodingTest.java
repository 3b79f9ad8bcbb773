package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.offset;
import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static io.sluice.internal.connector.ConnectorTestSupport.row;
import static io.sluice.internal.connector.ConnectorTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the file source decodes JSON lines into typed columns. */
class JsonFileSourceDecodingTest {
  private static final Schema ALL_TYPES =
      Schema.of(
          Field.required("id", DataType.INT),
          Field.nullable("clicks", DataType.LONG),
          Field.nullable("score", DataType.DOUBLE),
          Field.nullable("ok", DataType.BOOLEAN),
          Field.nullable("page", DataType.STRING),
          Field.nullable("ts", DataType.TIMESTAMP),
          Field.nullable("wait", DataType.INTERVAL));

  @TempDir Path dir;

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private List<List<Object>> readAll(Schema schema, Options options) {
    FileSource source = new FileSource(dir, "json", schema, options);
    return read(source, null, source.latestOffset(null));
  }

  private SluiceException failure(Schema schema, String... lines) {
    write(dir, "bad.json", 1, lines);
    FileSource source = new FileSource(dir, "json", schema, options());
    Offset end = source.latestOffset(null);
    return (SluiceException)
        org.assertj.core.api.Assertions.catchThrowable(() -> read(source, null, end));
  }

  @Test
  void decodesEveryType() {
    write(
        dir,
        "a.json",
        1,
        "{\"id\": 1, \"clicks\": 9000000000, \"score\": 2.5, \"ok\": true, \"page\": \"home\","
            + " \"ts\": \"2024-01-01T00:00:00Z\", \"wait\": \"PT5S\"}",
        "{\"id\": 2, \"clicks\": -3, \"score\": 7, \"ok\": false, \"page\": \"\","
            + " \"ts\": 1704067200123, \"wait\": 250}");

    assertThat(readAll(ALL_TYPES, options()))
        .containsExactly(
            row(1, 9_000_000_000L, 2.5, true, "home", millis("2024-01-01T00:00:00Z"), 5000L),
            row(2, -3L, 7.0, false, "", 1_704_067_200_123L, 250L));
  }

  @Test
  void nullAndMissingFieldsAreNullInNullableColumns() {
    write(
        dir,
        "a.json",
        1,
        "{\"id\": 1, \"clicks\": null, \"score\": null, \"ok\": null, \"page\": null,"
            + " \"ts\": null}",
        "{\"id\": 2}");

    assertThat(readAll(ALL_TYPES, options()))
        .containsExactly(
            row(1, null, null, null, null, null, null), row(2, null, null, null, null, null, null));
  }

  @Test
  void matchesNamesExactlyThenIgnoringCaseAndIgnoresUnknownFields() {
    Schema schema =
        Schema.of(
            Field.nullable("page", DataType.STRING),
            Field.nullable("Page", DataType.STRING),
            Field.nullable("userId", DataType.LONG));
    write(
        dir,
        "a.json",
        1,
        "{\"Page\": \"a\", \"page\": \"b\", \"USERID\": 7, \"extra\": {\"x\": [1, 2]},"
            + " \"more\": 1}");

    assertThat(readAll(schema, options())).containsExactly(row("b", "a", 7L));
  }

  @Test
  void skipsBlankLines() {
    write(dir, "a.json", 1, "", "{\"id\": 1}", "   ", "{\"id\": 2}", "");

    assertThat(readAll(Schema.of(Field.required("id", DataType.INT)), options()))
        .containsExactly(row(1), row(2));
  }

  @Test
  void parsesTimestampTextInIsoForms() {
    Schema schema = Schema.of(Field.required("ts", DataType.TIMESTAMP));
    write(
        dir,
        "a.json",
        1,
        "{\"ts\": \"2024-01-01T00:00:00Z\"}",
        "{\"ts\": \"2024-01-01 00:00:00\"}",
        "{\"ts\": \"2024-01-01T02:00:00.250+02:00\"}",
        "{\"ts\": \"2024-01-01\"}");

    long midnight = millis("2024-01-01T00:00:00Z");
    assertThat(readAll(schema, options()))
        .containsExactly(row(midnight), row(midnight), row(midnight + 250), row(midnight));
  }

  @Test
  void parsesTimestampsWithTimestampFormatAsUtc() {
    Schema schema = Schema.of(Field.required("ts", DataType.TIMESTAMP));
    write(dir, "a.json", 1, "{\"ts\": \"01/02/2024 10:30\"}");

    assertThat(readAll(schema, options("timestampFormat", "dd/MM/yyyy HH:mm")))
        .containsExactly(row(millis("2024-02-01T10:30:00Z")));
  }

  @Test
  void anEpochMillisecondEventTimeTakesTimestampTextButOtherLongsDoNot() {
    Schema schema =
        Schema.of(Field.required("ts", DataType.LONG), Field.required("n", DataType.LONG));
    write(
        dir,
        "a.json",
        1,
        "{\"ts\": \"2024-01-01T00:00:01Z\", \"n\": 1}",
        "{\"ts\": 1704067202000, \"n\": 2}",
        "{\"ts\": 1704067203000, \"n\": \"2024-01-01T00:00:03Z\"}");
    FileSource source =
        new FileSource(dir, "json", schema, options("badRecords", "drop"), Set.of("ts"));

    // Only ts is an event time of epoch milliseconds (a long marked @EventTime): n stays strict.
    assertThat(read(source, null, source.latestOffset(null)))
        .containsExactly(
            row(millis("2024-01-01T00:00:01Z"), 1L), row(millis("2024-01-01T00:00:02Z"), 2L));
    assertThat(source.metrics()).containsEntry("numMalformedRows", "1");
  }

  @Test
  void readsNonFiniteDoublesFromStrings() {
    Schema schema = Schema.of(Field.required("x", DataType.DOUBLE));
    write(dir, "a.json", 1, "{\"x\": \"NaN\"}", "{\"x\": \"-Infinity\"}", "{\"x\": 1e3}");

    assertThat(readAll(schema, options()))
        .containsExactly(row(Double.NaN), row(Double.NEGATIVE_INFINITY), row(1000.0));
  }

  @Test
  void wrongTypeIsMalformedWithFileAndLine() {
    Schema schema = Schema.of(Field.nullable("clicks", DataType.LONG));
    SluiceException e = failure(schema, "{\"clicks\": 1}", "", "{\"clicks\": \"many\"}");

    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RECORD);
    assertThat(e)
        .hasMessage(
            "[Sluice/MalformedRecord] malformed record in "
                + dir.resolve("bad.json")
                + " line 3: field 'clicks' expects BIGINT but found a string");
  }

  @Test
  void decimalIsNotAnInteger() {
    assertThat(failure(Schema.of(Field.nullable("n", DataType.INT)), "{\"n\": 1.5}"))
        .hasMessageEndingWith("line 1: field 'n' expects INT but found a decimal number");
  }

  @Test
  void integersAreRangeChecked() {
    assertThat(failure(Schema.of(Field.nullable("n", DataType.INT)), "{\"n\": 3000000000}"))
        .hasMessageEndingWith("line 1: field 'n' value 3000000000 is out of range for INT");
    assertThat(
            failure(Schema.of(Field.nullable("n", DataType.LONG)), "{\"n\": 99999999999999999999}"))
        .hasMessageEndingWith("field 'n' value 99999999999999999999 is out of range for BIGINT");
  }

  @Test
  void missingRequiredFieldIsMalformed() {
    assertThat(failure(Schema.of(Field.required("id", DataType.INT)), "{\"other\": 1}"))
        .hasMessageEndingWith("line 1: missing required field 'id'");
  }

  @Test
  void nullInRequiredFieldIsMalformed() {
    assertThat(failure(Schema.of(Field.required("id", DataType.INT)), "{\"id\": null}"))
        .hasMessageEndingWith("line 1: required field 'id' is null");
  }

  @Test
  void nestedValuesAreMalformedForNow() {
    Schema schema = Schema.of(Field.nullable("page", DataType.STRING));
    assertThat(failure(schema, "{\"page\": {\"name\": \"home\"}}"))
        .hasMessageEndingWith("field 'page' expects STRING but found an object");
    assertThat(failure(schema, "{\"page\": [\"home\"]}"))
        .hasMessageEndingWith("field 'page' expects STRING but found an array");
  }

  @Test
  void badTimestampTextNamesTheExpectedFormat() {
    Schema schema = Schema.of(Field.nullable("ts", DataType.TIMESTAMP));
    assertThat(failure(schema, "{\"ts\": \"yesterday\"}"))
        .hasMessageEndingWith(
            "field 'ts' expects TIMESTAMP but found 'yesterday' (expected ISO-8601, e.g."
                + " 2024-01-01T00:00:00Z)");
  }

  @Test
  void textThatIsNotAnObjectIsMalformed() {
    Schema schema = Schema.of(Field.nullable("a", DataType.LONG));
    assertThat(failure(schema, "[1, 2]"))
        .hasMessageEndingWith("line 1: expected a JSON object but found an array");
    assertThat(failure(schema, "{\"a\": 1")).hasMessageContaining("line 1: not valid JSON: ");
    assertThat(failure(schema, "{\"a\": 1} x")).hasMessageContaining("line 1: ");
  }

  @Test
  void unknownFormatIsAnInvalidOption() {
    assertThatThrownBy(() -> new FileSource(dir, "parquet", ALL_TYPES, options()))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/InvalidOption] file source format 'parquet' is not supported; use json or"
                + " csv");
  }

  @Test
  void readsAllRowsAcrossChunkBoundaries() {
    Schema schema = Schema.of(Field.required("n", DataType.LONG));
    int rows = 2 * io.sluice.internal.batch.ColumnBatch.DEFAULT_CHUNK_ROWS + 5;
    String[] lines = new String[rows];
    for (int i = 0; i < rows; i++) {
      lines[i] = "{\"n\": " + i + "}";
    }
    write(dir, "big.json", 1, lines);
    FileSource source = new FileSource(dir, "json", schema, options());
    List<Integer> chunkSizes = new java.util.ArrayList<>();
    List<Long> values = new java.util.ArrayList<>();
    source.read(
        null,
        offset(1),
        chunk -> {
          chunkSizes.add(chunk.size());
          for (int r = 0; r < chunk.size(); r++) {
            values.add(chunk.longs(0).get(r));
          }
        });

    assertThat(chunkSizes).containsExactly(8192, 8192, 5);
    assertThat(values).hasSize(rows).startsWith(0L, 1L).endsWith((long) rows - 1);
  }
}
