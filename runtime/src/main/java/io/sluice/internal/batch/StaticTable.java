package io.sluice.internal.batch;

import io.sluice.api.DataType;
import io.sluice.api.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bounded side of a stream-static join, built once into a hash table: its rows' columns, and
 * the rows by join key. Generated code writes a stream row's key into a {@link KeyWriter}, looks
 * up the matching rows and reads their columns from the typed vectors.
 */
public final class StaticTable {
  /** No rows: what a key with a null part finds. */
  public static final int[] NO_ROWS = new int[0];

  private final ColumnBatch rows;
  private final KeySlots keys;
  private final int[][] rowsBySlot;

  private StaticTable(ColumnBatch rows, KeySlots keys, int[][] rowsBySlot) {
    this.rows = rows;
    this.keys = keys;
    this.rowsBySlot = rowsBySlot;
  }

  /**
   * The table of {@code chunks}, whose first {@code keyTypes.size()} columns are the join key
   * and the rest the side's columns ({@code columns}). A row with a null key part matches
   * nothing, as in SQL.
   */
  public static StaticTable build(List<ColumnBatch> chunks, List<DataType> keyTypes,
      Schema columns) {
    int keyCount = keyTypes.size();
    int total = chunks.stream().mapToInt(ColumnBatch::size).sum();
    ColumnBatch rows = new ColumnBatch(columns, Math.max(total, 1));
    KeySlots keys = new KeySlots();
    List<List<Integer>> bySlot = new ArrayList<>();
    KeyWriter key = new KeyWriter();
    for (ColumnBatch chunk : chunks) {
      for (int r = 0; r < chunk.size(); r++) {
        Object[] values = chunk.rowValues(r);
        rows.appendRow(Arrays.copyOfRange(values, keyCount, values.length));
        if (write(key, keyTypes, values)) {
          int slot = keys.add(key.buffer(), key.length());
          if (slot == bySlot.size()) {
            bySlot.add(new ArrayList<>());
          }
          bySlot.get(slot).add(rows.size() - 1);
        }
      }
    }
    int[][] rowsBySlot = new int[bySlot.size()][];
    for (int s = 0; s < rowsBySlot.length; s++) {
      rowsBySlot[s] = bySlot.get(s).stream().mapToInt(Integer::intValue).toArray();
    }
    return new StaticTable(rows, keys, rowsBySlot);
  }

  /** Writes the key of {@code values}; false when a part is null, so that it matches nothing. */
  private static boolean write(KeyWriter key, List<DataType> types, @Nullable Object[] values) {
    key.reset();
    for (int k = 0; k < types.size(); k++) {
      Object v = values[k];
      if (v == null) {
        return false;
      }
      switch (types.get(k)) {
        case BOOLEAN -> key.putBoolean(false, (Boolean) v);
        case INT -> key.putInt(false, (Integer) v);
        case DOUBLE -> key.putDouble(false, (Double) v);
        case STRING -> key.putString(false, v);
        case BINARY -> key.putBinary(false, (byte[]) v);
        default -> key.putLong(false, ((Number) v).longValue());
      }
    }
    return true;
  }

  /** The rows whose key is the one in {@code key}, in the order they were read; none: empty. */
  public int[] lookup(KeyWriter key) {
    int slot = keys.find(key.buffer(), key.length());
    return slot < 0 ? NO_ROWS : rowsBySlot[slot];
  }

  /** Column {@code ordinal} of the rows, for generated code to read by row. */
  public ColumnVector column(int ordinal) {
    return rows.column(ordinal);
  }

  public int size() {
    return rows.size();
  }
}
