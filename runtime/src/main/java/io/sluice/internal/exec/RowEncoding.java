package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.TimeWindow;
import io.sluice.internal.batch.BooleanVector;
import io.sluice.internal.batch.ColumnVector;
import io.sluice.internal.batch.DoubleVector;
import io.sluice.internal.batch.IntVector;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.LongVector;
import io.sluice.internal.batch.ObjectVector;

/**
 * Writes one value of a column vector with a {@link KeyWriter}, as keys and stored rows are
 * written; {@code KeyReader} reads it back into a vector of the same type.
 */
final class RowEncoding {
  private RowEncoding() {}

  static void put(KeyWriter out, ColumnVector v, DataType type, int row) {
    boolean isNull = v.isNull(row);
    if (v instanceof LongVector l) {
      out.putLong(isNull, l.values[row]);
    } else if (v instanceof IntVector i) {
      out.putInt(isNull, i.values[row]);
    } else if (v instanceof DoubleVector d) {
      out.putDouble(isNull, d.values[row]);
    } else if (v instanceof BooleanVector b) {
      out.putBoolean(isNull, b.values[row]);
    } else if (type == DataType.WINDOW) {
      TimeWindow w = (TimeWindow) ((ObjectVector) v).values[row];
      if (w == null) {
        out.putLong(true, 0);
      } else {
        out.putWindow(w.start(), w.end());
      }
    } else if (type == DataType.BINARY) {
      out.putBinary(isNull, (byte[]) ((ObjectVector) v).values[row]);
    } else {
      out.putString(isNull, ((ObjectVector) v).values[row]);
    }
  }
}
