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

  private final KeySlots keys = new KeySlots();
  /** How many slots {@link #longs} and {@link #refs} have room for. */
  private int room = 256;

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
    return keys.size();
  }

  /** The slot of the key in {@code key}, inserting a zeroed slot if the key is new. */
  public int slot(KeyWriter key) {
    int slot = keys.add(key.buffer(), key.length());
    if (slot >= room) {
      room = keys.capacity();
      longs = Arrays.copyOf(longs, room * Math.max(longWidth, 1));
      refs = Arrays.copyOf(refs, room * Math.max(refWidth, 1));
    }
    return slot;
  }

  /** The key's {@link KeyWriter#hash}, which decides its state partition. */
  public int hash(int slot) {
    return keys.stableHash(slot);
  }

  public byte[] key(int slot) {
    return keys.key(slot);
  }

  /** Empties the table for the next batch, keeping its arrays. */
  public void clear() {
    Arrays.fill(longs, 0, size() * longWidth, 0L);
    Arrays.fill(refs, 0, size() * refWidth, null);
    keys.clear();
  }
}
