package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.exec.JoinEntries.Stored;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of a stream-stream join as rows, one side at a time, as Spark's state data source
 * reads it with {@code joinSide}: a row per row the side keeps, with {@code key_<part>} per part
 * of the join key as that side names it, {@code value_<column>} per column of the side, and
 * {@code matched}, whether it has met a row of the other side yet (an outer join emits the rows
 * that never did, with nulls, when they go). It decodes with the layout the join recorded
 * ({@link JoinLayout}).
 */
final class JoinStateReader implements OperatorStateReader {
  private final byte side;
  private final List<Field> key;
  private final List<Field> row;
  private final Schema schema;

  private JoinStateReader(byte side, JoinLayout layout) {
    this.side = side;
    this.key = layout.key(side);
    this.row = layout.columns(side);
    List<Field> columns = new ArrayList<>();
    for (Field f : key) {
      columns.add(f.withName("key_" + f.name()));
    }
    for (Field f : row) {
      columns.add(f.withName("value_" + f.name()));
    }
    columns.add(Field.required("matched", DataType.BOOLEAN));
    this.schema = Schema.of(columns);
  }

  /** The reader of the side option {@code joinSide} names, {@code left} or {@code right}. */
  static JoinStateReader open(Path stateDirectory, Map<String, String> options) {
    byte side = side(stateDirectory, options.get("joinSide"));
    return new JoinStateReader(side, JoinLayout.read(stateDirectory));
  }

  private static byte side(Path stateDirectory, @Nullable String option) {
    if (option == null) {
      // Unlike Spark, no default: the two sides' rows have different columns.
      throw new SluiceException(ErrorKind.INVALID_OPTION, "the stream-stream join state in "
          + stateDirectory.resolve("join") + " keeps the rows of two sides: choose one with"
          + " option joinSide: left or right");
    }
    return switch (option.toLowerCase(Locale.ROOT)) {
      case "left" -> JoinEntries.LEFT;
      case "right" -> JoinEntries.RIGHT;
      default -> throw new SluiceException(ErrorKind.INVALID_OPTION, "option joinSide must be"
          + " left or right, got '" + option + "'");
    };
  }

  @Override
  public List<Field> columns() {
    return schema.fields();
  }

  @Override
  public List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries) {
    ColumnBatch out = new ColumnBatch(schema, entries.size());
    KeyReader reader = new KeyReader();
    entries.forEach((k, value) -> {
      byte[] entryKey = k.array();
      if (entryKey[0] != side) {
        return;
      }
      for (Stored stored : JoinEntries.decode(value)) {
        readInto(out, 0, key, reader.reset(entryKey, 1));
        readInto(out, key.size(), row, reader.reset(stored.row(), 0));
        out.booleans(schema.size() - 1).append(stored.matched());
      }
    });
    return out.rows();
  }

  /** Appends the columns {@code fields} from {@code reader} to the columns from {@code first}. */
  private static void readInto(ColumnBatch out, int first, List<Field> fields,
      KeyReader reader) {
    for (int c = 0; c < fields.size(); c++) {
      reader.readInto(out.column(first + c), fields.get(c).type());
    }
  }
}
