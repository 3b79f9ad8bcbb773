package io.sluice.internal.exec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a stream-stream join's state entries, which {@link SymmetricHashJoin} writes and
 * the state reader ({@link JoinStateReader}) reads: an entry holds one side's rows of one join
 * key.
 *
 * <p>Its key is the side ({@link #LEFT} or {@link #RIGHT}) then the join key's parts as {@code
 * KeyWriter} writes them; its value the number of rows, then per row its event time, whether it
 * has matched a row of the other side, and its length and columns as {@link RowEncoding} writes
 * them.
 */
final class JoinEntries {
  static final byte LEFT = 0;
  static final byte RIGHT = 1;

  /** Per row: event time, matched flag and length, before the row's bytes. */
  private static final int ROW_HEADER_BYTES = 8 + 1 + 4;

  private JoinEntries() {}

  /** A stored row: its event time, its side's columns, and whether it has met a row yet. */
  record Stored(long time, byte[] row, boolean matched) {
    Stored asMatched() {
      return matched ? this : new Stored(time, row, true);
    }
  }

  /** The entry key of {@code side}'s rows of the join key {@code key}. */
  static byte[] key(byte side, byte[] key) {
    byte[] k = new byte[key.length + 1];
    k[0] = side;
    System.arraycopy(key, 0, k, 1, key.length);
    return k;
  }

  /** The rows of an entry's value, in the order they were stored. */
  static List<Stored> decode(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry);
    int n = in.getInt();
    List<Stored> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long time = in.getLong();
      boolean matched = in.get() != 0;
      byte[] r = new byte[in.getInt()];
      in.get(r);
      rows.add(new Stored(time, r, matched));
    }
    return rows;
  }

  /** The entry value holding {@code rows}. */
  static byte[] encode(List<Stored> rows) {
    int size = 4;
    for (Stored s : rows) {
      size += ROW_HEADER_BYTES + s.row.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).putInt(rows.size());
    for (Stored s : rows) {
      out.putLong(s.time).put((byte) (s.matched ? 1 : 0)).putInt(s.row.length).put(s.row);
    }
    return out.array();
  }

  /** The number of rows an entry's value holds, without decoding them. */
  static int count(byte[] entry) {
    return ByteBuffer.wrap(entry).getInt();
  }
}
