package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.ColumnVector;
import java.io.PrintStream;
import io.sluice.api.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prints each batch as a table, like Spark's console sink; for trying queries out, not for
 * production output.
 *
 * <pre>
 * -------------------------------------------
 * Batch: 0
 * -------------------------------------------
 * +----+-----+
 * |page|count|
 * +----+-----+
 * |home|    3|
 * +----+-----+
 * </pre>
 *
 * <p>Options: {@code numRows} (default 20) rows are shown, with {@code only showing top 20 rows}
 * when there are more; {@code truncate} (default true) cuts cells longer than 20 characters. Nulls
 * print as {@code NULL}, timestamps as {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC, binaries as Spark
 * shows them, hex bytes in brackets ({@code [61 62 63]}). Every output mode is accepted.
 */
public final class ConsoleSink implements Sink {
  private static final String RULE = "-------------------------------------------";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final HexFormat BYTES = HexFormat.ofDelimiter(" ").withUpperCase();

  private final PrintStream out;
  private final int numRows;
  private final boolean truncate;

  /** A sink printing to {@code out}; an invalid option fails here, not at the first batch. */
  public ConsoleSink(Options options, PrintStream out) {
    this.out = out;
    this.numRows = options.getInt("numRows", 20);
    this.truncate = options.getBoolean("truncate", true);
    if (numRows <= 0) {
      throw options.invalid("numRows", Integer.toString(numRows), "a positive number");
    }
  }

  @Override
  public String description() {
    return "ConsoleSink";
  }

  @Override
  public void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks, OutputMode mode) {
    long total = chunks.stream().mapToLong(ColumnBatch::size).sum();
    StringBuilder text = new StringBuilder();
    text.append(RULE).append('\n').append("Batch: ").append(batchId).append('\n');
    text.append(RULE).append('\n');
    text.append(TableFormatter.format(schema.names(), firstRows(schema, chunks), truncate));
    if (total > numRows) {
      text.append("only showing top ").append(numRows).append(numRows == 1 ? " row" : " rows");
      text.append('\n');
    }
    // One print per batch so that batches from concurrent queries do not interleave line by line.
    out.print(text.append('\n'));
    out.flush();
  }

  private List<List<String>> firstRows(Schema schema, List<ColumnBatch> chunks) {
    List<List<String>> rows = new ArrayList<>();
    for (ColumnBatch chunk : chunks) {
      for (int r = 0; r < chunk.size() && rows.size() < numRows; r++) {
        List<String> cells = new ArrayList<>(schema.size());
        for (int c = 0; c < schema.size(); c++) {
          cells.add(cell(schema.field(c), chunk.column(c), r));
        }
        rows.add(cells);
      }
    }
    return rows;
  }

  private static String cell(Field field, ColumnVector column, int row) {
    @Nullable Object value = column.getBoxed(row);
    if (value == null) {
      return "NULL";
    }
    if (field.type() == DataType.TIMESTAMP) {
      return TIMESTAMP.format(Instant.ofEpochMilli((Long) value));
    }
    if (field.type() == DataType.INTERVAL) {
      return Duration.ofMillis((Long) value).toString();
    }
    if (value instanceof byte[] b) {
      return "[" + BYTES.formatHex(b) + "]";
    }
    if (value instanceof TimeWindow w) {
      return "{" + TIMESTAMP.format(w.startInstant()) + ", " + TIMESTAMP.format(w.endInstant())
          + "}";
    }
    return value.toString();
  }
}
