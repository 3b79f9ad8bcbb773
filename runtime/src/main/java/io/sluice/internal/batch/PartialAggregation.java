package io.sluice.internal.batch;

import java.util.Arrays;

/**
 * The batch-local hash table of partial aggregates: one slot per distinct key seen in the batch,
 * each slot a fixed run of longs (and object references, for string min/max).
 *
 * <p>Generated code finds a key's slot and updates the slot's longs in place, so a row costs one
 * hash lookup and a few array writes; the result is merged into the state store once per key per
 * batch.
 */
public final class PartialAggregation {
  private final int longWidth;
  private final int refWidth;

  private byte[] arena = new byte[1 << 12];
  private int arenaUsed;
  private int[] keyOffsets = new int[256];
  private int[] keyLengths = new int[256];
  private int[] hashes = new int[256];
  private int[] table = newTable(1024);
  private int size;

  /** Slot {@code s} owns {@code longs[s * longWidth ...]}. */
  public long[] longs;

  /** Slot {@code s} owns {@code refs[s * refWidth ...]}. */
  public Object[] refs;

  public PartialAggregation(int longWidth, int refWidth) {
    this.longWidth = longWidth;
    this.refWidth = refWidth;
    this.longs = new long[256 * Math.max(longWidth, 1)];
    this.refs = new Object[256 * Math.max(refWidth, 1)];
  }

  public int longWidth() {
    return longWidth;
  }

  public int refWidth() {
    return refWidth;
  }

  /** The number of distinct keys. */
  public int size() {
    return size;
  }

  /** The slot of the key in {@code key}, inserting a zeroed slot if the key is new. */
  public int slot(KeyWriter key) {
    byte[] bytes = key.buffer();
    int length = key.length();
    int hash = KeyWriter.localHash(bytes, length);
    int mask = table.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      int s = table[i];
      if (s < 0) {
        return insert(i, bytes, length, hash);
      }
      if (hashes[s] == hash && equalKey(s, bytes, length)) {
        return s;
      }
    }
  }

  /** The key's {@link KeyWriter#hash}, which decides its state partition. */
  public int hash(int slot) {
    return KeyWriter.hash(arena, keyOffsets[slot], keyLengths[slot]);
  }

  public byte[] key(int slot) {
    return Arrays.copyOfRange(arena, keyOffsets[slot], keyOffsets[slot] + keyLengths[slot]);
  }

  /** Empties the table for the next batch, keeping its arrays. */
  public void clear() {
    Arrays.fill(table, -1);
    Arrays.fill(longs, 0, size * longWidth, 0L);
    Arrays.fill(refs, 0, size * refWidth, null);
    size = 0;
    arenaUsed = 0;
  }

  private boolean equalKey(int slot, byte[] bytes, int length) {
    return keyLengths[slot] == length
        && Arrays.equals(arena, keyOffsets[slot], keyOffsets[slot] + length, bytes, 0, length);
  }

  private int insert(int tableIndex, byte[] bytes, int length, int hash) {
    int s = size++;
    if (s == hashes.length) {
      growSlots();
    }
    if (arenaUsed + length > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
    }
    System.arraycopy(bytes, 0, arena, arenaUsed, length);
    keyOffsets[s] = arenaUsed;
    keyLengths[s] = length;
    hashes[s] = hash;
    arenaUsed += length;
    table[tableIndex] = s;
    if (size * 2 > table.length) {
      rehash();
    }
    return s;
  }

  private void growSlots() {
    int capacity = hashes.length * 2;
    keyOffsets = Arrays.copyOf(keyOffsets, capacity);
    keyLengths = Arrays.copyOf(keyLengths, capacity);
    hashes = Arrays.copyOf(hashes, capacity);
    longs = Arrays.copyOf(longs, capacity * Math.max(longWidth, 1));
    refs = Arrays.copyOf(refs, capacity * Math.max(refWidth, 1));
  }

  private void rehash() {
    table = newTable(table.length * 2);
    int mask = table.length - 1;
    for (int s = 0; s < size; s++) {
      int i = hashes[s] & mask;
      while (table[i] >= 0) {
        i = (i + 1) & mask;
      }
      table[i] = s;
    }
  }

  private static int[] newTable(int capacity) {
    int[] t = new int[capacity];
    Arrays.fill(t, -1);
    return t;
  }
}
