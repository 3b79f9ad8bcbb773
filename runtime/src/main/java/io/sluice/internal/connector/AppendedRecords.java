package io.sluice.internal.connector;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The records of a memory stream: appended by the application under a lock, read by batches
 * without one. A reader that takes {@link #size()} first reads a prefix that never changes.
 *
 * <p>Records sit in fixed chunks, so an append copies nothing already held: a copy-on-write list
 * copied every record at each append, which at thousands of appends a second took more time than
 * the batches that read them.
 */
public final class AppendedRecords extends AbstractList<Object> implements RandomAccess {
  private static final int CHUNK_BITS = 12;
  private static final int CHUNK = 1 << CHUNK_BITS;

  private volatile Object[][] chunks = new Object[16][];
  /** Written after the records it covers, so that a reader who sees it sees them. */
  private volatile int size;

  /** Appends {@code records}; returns the number of records after them. */
  public synchronized int append(List<?> records) {
    int n = size;
    Object[][] all = chunks;
    for (Object record : records) {
      int chunk = n >>> CHUNK_BITS;
      if (chunk == all.length) {
        all = Arrays.copyOf(all, all.length * 2);
        chunks = all;
      }
      if (all[chunk] == null) {
        all[chunk] = new Object[CHUNK];
      }
      all[chunk][n & (CHUNK - 1)] = record;
      n++;
    }
    size = n;
    return n;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Object get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("record " + index + " of " + size);
    }
    return chunks[index >>> CHUNK_BITS][index & (CHUNK - 1)];
  }
}
