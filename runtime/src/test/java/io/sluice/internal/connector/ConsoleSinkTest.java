package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console sink prints batches the way Spark's console sink does. */
class ConsoleSinkTest {
  private static final Schema COUNTS =
      Schema.of(Field.required("page", DataType.STRING), Field.required("count", DataType.LONG));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String print(Options options, long batchId, Schema schema, ColumnBatch... chunks) {
    new ConsoleSink(options, stream)
        .addBatch(batchId, schema, List.of(chunks), OutputMode.COMPLETE);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static ColumnBatch counts(int rows) {
    ColumnBatch chunk = new ColumnBatch(COUNTS, rows);
    for (int i = 0; i < rows; i++) {
      chunk.appendRow("p" + i, (long) i);
    }
    return chunk;
  }

  @Test
  void printsASmallBatchExactlyLikeSpark() {
    ColumnBatch chunk = new ColumnBatch(COUNTS, 4);
    chunk.appendRow("home", 3L);

    assertThat(print(options(), 0, COUNTS, chunk))
        .isEqualTo(
            """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +----+-----+
            |page|count|
            +----+-----+
            |home|    3|
            +----+-----+

            """);
  }

  @Test
  void rightAlignsCellsAndWidensColumnsToTheLongestCellOrThree() {
    Schema schema =
        Schema.of(Field.required("a", DataType.STRING), Field.required("n", DataType.INT));
    ColumnBatch chunk = new ColumnBatch(schema, 4);
    chunk.appendRow("x", 12345);
    chunk.appendRow("longer", 1);

    assertThat(print(options(), 7, schema, chunk))
        .isEqualTo(
            """
            -------------------------------------------
            Batch: 7
            -------------------------------------------
            +------+-----+
            |     a|    n|
            +------+-----+
            |     x|12345|
            |longer|    1|
            +------+-----+

            """);
  }

  @Test
  void printsNullsTimestampsAndDoubles() {
    Schema schema =
        Schema.of(
            Field.nullable("ts", DataType.TIMESTAMP),
            Field.nullable("x", DataType.DOUBLE),
            Field.nullable("ok", DataType.BOOLEAN));
    ColumnBatch chunk = new ColumnBatch(schema, 4);
    chunk.appendRow(Instant.parse("2024-01-01T12:34:56.789Z").toEpochMilli(), 1.5, true);
    chunk.appendRow(null, null, null);

    // 23 characters: cut like any other cell, as Spark's console shows its timestamps.
    assertThat(print(options(), 1, schema, chunk))
        .endsWith(
            """
            +--------------------+----+----+
            |                  ts|   x|  ok|
            +--------------------+----+----+
            |2024-01-01 12:34:...| 1.5|true|
            |                NULL|NULL|NULL|
            +--------------------+----+----+

            """);
    assertThat(print(options("truncate", "false"), 1, schema, chunk))
        .contains("|2024-01-01 12:34:56.789|1.5 |true|\n");
  }

  @Test
  void truncatesLongCellsTo17CharactersAndAnEllipsis() {
    ColumnBatch chunk = new ColumnBatch(COUNTS, 4);
    chunk.appendRow("a-very-long-page-name-indeed", 1L);
    chunk.appendRow("exactly-twenty-chars", 2L);

    assertThat(print(options(), 0, COUNTS, chunk))
        .contains("|a-very-long-page-...|    1|\n")
        .contains("|exactly-twenty-chars|    2|\n");
  }

  @Test
  void truncateFalseShowsWholeCellsLeftAligned() {
    ColumnBatch chunk = new ColumnBatch(COUNTS, 4);
    chunk.appendRow("a-very-long-page-name-indeed", 1L);

    assertThat(print(options("truncate", "false"), 0, COUNTS, chunk))
        .contains(
            """
            +----------------------------+-----+
            |page                        |count|
            +----------------------------+-----+
            |a-very-long-page-name-indeed|1    |
            +----------------------------+-----+
            """);
  }

  @Test
  void showsTheFirst20RowsByDefaultAcrossChunks() {
    String text = print(options(), 0, COUNTS, counts(15), counts(15));

    assertThat(text.lines().filter(l -> l.matches("\\|\\s*p\\d+\\|.*")).count()).isEqualTo(20);
    assertThat(text).endsWith("+----+-----+\nonly showing top 20 rows\n\n");
  }

  @Test
  void numRowsOption() {
    String text = print(options("numRows", "1"), 0, COUNTS, counts(2));

    assertThat(text)
        .endsWith(
            """
            |  p0|    0|
            +----+-----+
            only showing top 1 row

            """);
  }

  @Test
  void exactlyNumRowsRowsPrintNoNote() {
    assertThat(print(options("numRows", "2"), 0, COUNTS, counts(2))).doesNotContain("only showing");
  }

  @Test
  void anEmptyBatchPrintsTheHeaderOnly() {
    assertThat(print(options(), 2, COUNTS))
        .isEqualTo(
            """
            -------------------------------------------
            Batch: 2
            -------------------------------------------
            +----+-----+
            |page|count|
            +----+-----+
            +----+-----+

            """);
  }

  @Test
  void acceptsEveryModeAndRejectsBadOptions() {
    ConsoleSink sink = new ConsoleSink(options(), stream);
    for (OutputMode mode : OutputMode.values()) {
      sink.addBatch(0, COUNTS, List.of(), mode);
    }
    assertThat(sink.description()).isEqualTo("ConsoleSink");
    assertThatThrownBy(() -> new ConsoleSink(options("numRows", "0"), stream))
        .hasMessageContaining("option 'numRows' is '0' but must be a positive number");
    assertThatThrownBy(() -> new ConsoleSink(options("truncate", "maybe"), stream))
        .hasMessageContaining("option 'truncate' is 'maybe' but must be true or false");
  }
}
