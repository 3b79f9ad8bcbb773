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
  /** For a key of one long column: the keys by open addressing, and the slot of each. */
  private final long @Nullable [] longKeys;
  private final int @Nullable [] longSlots;

  private StaticTable(ColumnBatch rows, KeySlots keys, int[][] rowsBySlot, boolean longKey) {
    this.rows = rows;
    this.keys = keys;
    this.rowsBySlot = rowsBySlot;
    if (longKey) {
      // A power of two at least twice the keys, so that probes stay short.
      int capacity = Integer.highestOneBit((int) Math.min(1L << 30,
          Math.max(rowsBySlot.length, 8) * 2L)) * 2;
      longKeys = new long[capacity];
      longSlots = new int[capacity];
      Arrays.fill(longSlots, -1);
      for (int s = 0; s < rowsBySlot.length; s++) {
        // The key's bytes: a null flag, then the value big-endian.
        long value = java.nio.ByteBuffer.wrap(keys.key(s), 1, 8).getLong();
        int at = longIndex(value, capacity - 1);
        while (longSlots[at] >= 0) {
          at = (at + 1) & (capacity - 1);
        }
        longKeys[at] = value;
        longSlots[at] = s;
      }
    } else {
      longKeys = null;
      longSlots = null;
    }
  }

  /** Whether a join key of {@code type} alone is looked up by {@link #lookupLong}. */
  public static boolean isLongKey(DataType type) {
    return type == DataType.LONG || type == DataType.TIMESTAMP || type == DataType.INTERVAL;
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
    return new StaticTable(rows, keys, rowsBySlot,
        keyTypes.size() == 1 && isLongKey(keyTypes.get(0)));
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

  /**
   * The rows whose key, a single long column ({@link #isLongKey}), is {@code value}: one probe of
   * a primitive table, no key encoding.
   */
  public int[] lookupLong(long value) {
    if (longKeys == null) {
      // The planner gives both sides of a join key one type: a long probe meets a long key.
      throw new IllegalStateException("a long join key probed a static table whose key is not"
          + " one long column: the join's sides disagree on the key's type");
    }
    int mask = longKeys.length - 1;
    for (int at = longIndex(value, mask); ; at = (at + 1) & mask) {
      int slot = longSlots[at];
      if (slot < 0) {
        return NO_ROWS;
      }
      if (longKeys[at] == value) {
        return rowsBySlot[slot];
      }
    }
  }

  private static int longIndex(long value, int mask) {
    long h = value * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Column {@code ordinal} of the rows, for generated code to read by row. */
  public ColumnVector column(int ordinal) {
    return rows.column(ordinal);
  }

  public int size() {
    return rows.size();
  }
}
