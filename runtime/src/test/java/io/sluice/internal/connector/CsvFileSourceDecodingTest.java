package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static io.sluice.internal.connector.ConnectorTestSupport.row;
import static io.sluice.internal.connector.ConnectorTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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

/** How the file source decodes CSV lines, by position or by header. */
class CsvFileSourceDecodingTest {
  private static final Schema ALL_TYPES =
      Schema.of(
          Field.required("id", DataType.INT),
          Field.nullable("clicks", DataType.LONG),
          Field.nullable("score", DataType.DOUBLE),
          Field.nullable("ok", DataType.BOOLEAN),
          Field.nullable("page", DataType.STRING),
          Field.nullable("ts", DataType.TIMESTAMP));

  @TempDir Path dir;

  private List<List<Object>> readAll(Schema schema, Options options) {
    FileSource source = new FileSource(dir, "csv", schema, options);
    return read(source, null, source.latestOffset(null));
  }

  private SluiceException failure(Schema schema, Options options) {
    FileSource source = new FileSource(dir, "csv", schema, options);
    Offset end = source.latestOffset(null);
    return catchThrowableOfType(SluiceException.class, () -> read(source, null, end));
  }

  @Test
  void decodesEveryTypeByPosition() {
    write(
        dir,
        "a.csv",
        1,
        "1,9000000000,2.5,true,home,2024-01-01T00:00:00Z",
        "2,-3,7,FALSE,\"a, quoted \"\"page\"\"\",2024-01-01 00:00:01");

    long midnight = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    assertThat(readAll(ALL_TYPES, options()))
        .containsExactly(
            row(1, 9_000_000_000L, 2.5, true, "home", midnight),
            row(2, -3L, 7.0, false, "a, quoted \"page\"", midnight + 1000));
  }

  @Test
  void emptyUnquotedFieldIsNullAndQuotedEmptyIsEmptyString() {
    write(dir, "a.csv", 1, "1,,,,,", "2,,,,\"\",");

    assertThat(readAll(ALL_TYPES, options()))
        .containsExactly(row(1, null, null, null, null, null), row(2, null, null, null, "", null));
  }

  @Test
  void headerMatchesColumnsByNameInAnyOrderAndCase() {
    Schema schema =
        Schema.of(
            Field.required("page", DataType.STRING),
            Field.required("clicks", DataType.LONG),
            Field.nullable("missing", DataType.STRING));
    write(dir, "a.csv", 1, "CLICKS,extra,page", "3,x,home", "4,y,cart");

    assertThat(readAll(schema, options("header", "true")))
        .containsExactly(row("home", 3L, null), row("cart", 4L, null));
  }

  @Test
  void eachFileHasItsOwnHeader() {
    Schema schema = Schema.of(Field.required("a", DataType.INT), Field.required("b", DataType.INT));
    write(dir, "1.csv", 1, "a,b", "1,2");
    write(dir, "2.csv", 2, "b,a", "3,4");

    assertThat(readAll(schema, options("header", "true"))).containsExactly(row(1, 2), row(4, 3));
  }

  @Test
  void missingRequiredHeaderColumnNamesFileAndHeader() {
    Schema schema = Schema.of(Field.required("clicks", DataType.LONG));
    write(dir, "a.csv", 1, "page,count", "home,3");

    SluiceException e = failure(schema, options("header", "true"));

    assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_COLUMN);
    assertThat(e)
        .hasMessage(
            "[Sluice/UnknownColumn] required column 'clicks' not found in the header of "
                + dir.resolve("a.csv")
                + "; available: page, count");
  }

  @Test
  void customSeparator() {
    Schema schema =
        Schema.of(Field.required("a", DataType.STRING), Field.required("b", DataType.INT));
    write(dir, "a.csv", 1, "x;1", "y,z;2");

    assertThat(readAll(schema, options("sep", ";")))
        .containsExactly(row("x", 1), row("y,z", 2));
  }

  @Test
  void tabSeparatorMayBeWrittenEscaped() {
    Schema schema =
        Schema.of(Field.required("a", DataType.STRING), Field.required("b", DataType.INT));
    write(dir, "b.tsv", 1, "t\t3");

    assertThat(readAll(schema, options("sep", "\\t"))).containsExactly(row("t", 3));
  }

  @Test
  void timestampFormatOption() {
    Schema schema = Schema.of(Field.required("ts", DataType.TIMESTAMP));
    write(dir, "a.csv", 1, "2024-03-05");

    assertThat(readAll(schema, options("timestampFormat", "yyyy-MM-dd")))
        .containsExactly(row(Instant.parse("2024-03-05T00:00:00Z").toEpochMilli()));
  }

  @Test
  void anEpochMillisecondEventTimeTakesNumbersOrTimestampTextInTheFormat() {
    Schema schema =
        Schema.of(Field.required("ts", DataType.LONG), Field.required("n", DataType.LONG));
    write(dir, "a.csv", 1, "2024/03/05 10:00:01,1", "1709632802000,2");
    // Only ts is an event time of epoch milliseconds (a long marked @EventTime).
    FileSource source =
        new FileSource(
            dir, "csv", schema, options("timestampFormat", "yyyy/MM/dd HH:mm:ss"), Set.of("ts"));

    assertThat(read(source, null, source.latestOffset(null)))
        .containsExactly(
            row(Instant.parse("2024-03-05T10:00:01Z").toEpochMilli(), 1L),
            row(1_709_632_802_000L, 2L));
  }

  @Test
  void timestampTextInAnEpochMillisecondEventTimeMustFollowTheFormat() {
    Schema schema = Schema.of(Field.required("ts", DataType.LONG));
    write(dir, "a.csv", 1, "2024-03-05");
    FileSource source =
        new FileSource(
            dir, "csv", schema, options("timestampFormat", "yyyy/MM/dd HH:mm:ss"), Set.of("ts"));
    Offset end = source.latestOffset(null);

    assertThat(catchThrowableOfType(SluiceException.class, () -> read(source, null, end)))
        .hasMessageEndingWith(
            " line 1: field 'ts' expects TIMESTAMP but found '2024-03-05' (expected yyyy/MM/dd"
                + " HH:mm:ss)");
  }

  @Test
  void wrongNumberOfFieldsIsMalformed() {
    write(dir, "a.csv", 1, "1,2,2.0,true,p,2024-01-01T00:00:00Z", "1,2,3");

    assertThat(failure(ALL_TYPES, options()))
        .hasMessage(
            "[Sluice/MalformedRecord] malformed record in "
                + dir.resolve("a.csv")
                + " line 2: expected 6 fields but found 3");
  }

  @Test
  void unparsableValueIsMalformed() {
    Schema schema =
        Schema.of(Field.required("n", DataType.LONG), Field.nullable("ok", DataType.BOOLEAN));
    write(dir, "a.csv", 1, "12abc,true");
    assertThat(failure(schema, options()))
        .hasMessageEndingWith("line 1: field 'n' expects BIGINT but found '12abc'");

    write(dir, "a.csv", 1, "1,yes");
    assertThat(failure(schema, options()))
        .hasMessageEndingWith("line 1: field 'ok' expects BOOLEAN but found 'yes'");
  }

  @Test
  void emptyFieldInRequiredNumericColumnIsMalformed() {
    Schema schema =
        Schema.of(Field.required("n", DataType.LONG), Field.required("s", DataType.STRING));
    write(dir, "a.csv", 1, "1,", ",x");

    SluiceException e = failure(schema, options());
    assertThat(e).hasMessageEndingWith("line 2: required field 'n' is empty");
  }

  @Test
  void emptyFieldInRequiredStringColumnIsTheEmptyString() {
    Schema schema =
        Schema.of(Field.required("n", DataType.LONG), Field.required("s", DataType.STRING));
    write(dir, "a.csv", 1, "1,");

    assertThat(readAll(schema, options())).containsExactly(row(1L, ""));
  }

  @Test
  void unterminatedQuoteIsMalformed() {
    Schema schema = Schema.of(Field.required("a", DataType.STRING));
    write(dir, "a.csv", 1, "\"open");

    assertThat(failure(schema, options()))
        .hasMessageContaining("line 1: not valid CSV: ")
        .hasMessageContaining("EOF reached before encapsulated token finished");
  }
}
