package io.sluice.internal.connector;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One decoded record, held aside until every field is known to be good, then appended to a chunk
 * in one step.
 *
 * <p>Decoding straight into the chunk would leave a partial row behind when a later field turns out
 * to be bad; decoding here first means a dropped record costs nothing to undo.
 */
final class RowScratch {
  private final Field[] fields;
  /** INT, LONG, TIMESTAMP and INTERVAL values; an INT is stored widened. */
  private final long[] longs;
  private final double[] doubles;
  private final boolean[] booleans;
  private final @Nullable Object[] objects;
  /** Whether the record gave the column a value or an explicit null. */
  private final boolean[] set;
  private final boolean[] nulls;

  RowScratch(Schema schema) {
    int n = schema.size();
    this.fields = schema.fields().toArray(new Field[0]);
    this.longs = new long[n];
    this.doubles = new double[n];
    this.booleans = new boolean[n];
    this.objects = new Object[n];
    this.set = new boolean[n];
    this.nulls = new boolean[n];
  }

  /** Forgets the previous record. */
  void reset() {
    Arrays.fill(set, false);
    Arrays.fill(objects, null);
  }

  Field field(int column) {
    return fields[column];
  }

  int size() {
    return fields.length;
  }

  void setLong(int column, long value) {
    longs[column] = value;
    mark(column, false);
  }

  void setDouble(int column, double value) {
    doubles[column] = value;
    mark(column, false);
  }

  void setBoolean(int column, boolean value) {
    booleans[column] = value;
    mark(column, false);
  }

  void setString(int column, String value) {
    objects[column] = value;
    mark(column, false);
  }

  void setBytes(int column, byte[] value) {
    objects[column] = value;
    mark(column, false);
  }

  /** Sets a null; a required column makes the record bad. */
  void setNull(int column) throws BadRecordException {
    if (!fields[column].nullable()) {
      throw new BadRecordException("required field '" + fields[column].name() + "' is null");
    }
    mark(column, true);
  }

  /** Turns the columns the record did not mention into nulls; a required one makes it bad. */
  void completeMissing() throws BadRecordException {
    for (int c = 0; c < fields.length; c++) {
      if (!set[c]) {
        if (!fields[c].nullable()) {
          throw new BadRecordException("missing required field '" + fields[c].name() + "'");
        }
        mark(c, true);
      }
    }
  }

  /** Appends the record, which must be complete, as one row of {@code chunk}. */
  void appendTo(ColumnBatch chunk) {
    for (int c = 0; c < fields.length; c++) {
      if (nulls[c]) {
        chunk.column(c).appendNull();
      } else {
        appendValue(chunk, c);
      }
    }
  }

  private void appendValue(ColumnBatch chunk, int c) {
    DataType type = fields[c].type();
    switch (type) {
      case INT:
        chunk.ints(c).append((int) longs[c]);
        break;
      case LONG:
      case TIMESTAMP:
      case INTERVAL:
        chunk.longs(c).append(longs[c]);
        break;
      case DOUBLE:
        chunk.doubles(c).append(doubles[c]);
        break;
      case BOOLEAN:
        chunk.booleans(c).append(booleans[c]);
        break;
      default:
        chunk.objects(c).append(objects[c]);
        break;
    }
  }

  private void mark(int column, boolean isNull) {
    set[column] = true;
    nulls[column] = isNull;
  }
}
