package io.sluice.internal.batch;

import java.util.Arrays;

/**
 * Encoded keys ({@link KeyWriter}) numbered densely in order of first sight, in an open-addressing
 * table over one byte arena: a lookup costs a hash of the key's bytes and, on a hit, one compare,
 * with nothing allocated. What a slot stands for (partial aggregates, the rows of a static table)
 * lives in arrays of the table's user, indexed by slot.
 */
final class KeySlots {
  private byte[] arena = new byte[1 << 12];
  private int arenaUsed;
  private int[] keyOffsets = new int[256];
  private int[] keyLengths = new int[256];
  /** Open addressing: each entry a key's hash in the high half and its slot in the low, or -1. */
  private long[] table = newTable(1024);
  private int size;
  /** The length of every key so far, so that slot s starts at s times it; -1 once they differ. */
  private int fixedLength = -1;

  /** The number of keys. */
  int size() {
    return size;
  }

  /** How many slots the per-slot arrays need room for: at least {@link #size}. */
  int capacity() {
    return keyOffsets.length;
  }

  /** The slot of {@code bytes[0 .. length)}, or -1 if it has none. */
  int find(byte[] bytes, int length) {
    int found = probe(bytes, length, KeyWriter.localHash(bytes, length));
    return found >= 0 ? found : -1;
  }

  /** The slot of {@code bytes[0 .. length)}, given the next free slot if the key is new. */
  int add(byte[] bytes, int length) {
    int hash = KeyWriter.localHash(bytes, length);
    int found = probe(bytes, length, hash);
    return found >= 0 ? found : insert(~found, bytes, length, hash);
  }

  /** The key's slot, or {@code ~i} for the free table entry {@code i} where it would go. */
  private int probe(byte[] bytes, int length, int hash) {
    int mask = table.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      long entry = table[i];
      if (entry == -1) {
        return ~i;
      }
      if ((int) (entry >>> 32) == hash && equalKey((int) entry, bytes, length)) {
        return (int) entry;
      }
    }
  }

  /** The key's {@link KeyWriter#hash}, which decides its state partition. */
  int stableHash(int slot) {
    return KeyWriter.hash(arena, keyOffsets[slot], keyLengths[slot]);
  }

  byte[] key(int slot) {
    return Arrays.copyOfRange(arena, keyOffsets[slot], keyOffsets[slot] + keyLengths[slot]);
  }

  /** Forgets every key, keeping the arrays. */
  void clear() {
    Arrays.fill(table, -1);
    size = 0;
    arenaUsed = 0;
    fixedLength = -1;
  }

  private boolean equalKey(int slot, byte[] bytes, int length) {
    if (fixedLength == length) {
      // Keys of one length lie back to back: no lookup of where this one starts.
      return KeyWriter.equalBytes(arena, slot * length, bytes, length);
    }
    return keyLengths[slot] == length && KeyWriter.equalBytes(arena, keyOffsets[slot], bytes, length);
  }

  private int insert(int tableIndex, byte[] bytes, int length, int hash) {
    int s = size++;
    if (s == keyOffsets.length) {
      int capacity = keyOffsets.length * 2;
      keyOffsets = Arrays.copyOf(keyOffsets, capacity);
      keyLengths = Arrays.copyOf(keyLengths, capacity);
    }
    if (arenaUsed + length > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
    }
    System.arraycopy(bytes, 0, arena, arenaUsed, length);
    keyOffsets[s] = arenaUsed;
    keyLengths[s] = length;
    arenaUsed += length;
    fixedLength = s == 0 || fixedLength == length ? length : -1;
    table[tableIndex] = entry(hash, s);
    if (size * 2 > table.length) {
      rehash();
    }
    return s;
  }

  private void rehash() {
    long[] old = table;
    table = newTable(old.length * 2);
    int mask = table.length - 1;
    for (long entry : old) {
      if (entry == -1) {
        continue;
      }
      // An entry carries its key's hash: nothing to read again.
      int i = (int) (entry >>> 32) & mask;
      while (table[i] != -1) {
        i = (i + 1) & mask;
      }
      table[i] = entry;
    }
  }

  private static long entry(int hash, int slot) {
    return (long) hash << 32 | slot;
  }

  private static long[] newTable(int capacity) {
    long[] t = new long[capacity];
    Arrays.fill(t, -1);
    return t;
  }
}
