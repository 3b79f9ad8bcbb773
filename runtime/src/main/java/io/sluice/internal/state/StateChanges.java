package io.sluice.internal.state;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one batch changes in one state partition: each key with its value before and after
 * ({@code null} for absent). Logged before it is applied, so that a torn batch can be undone; it
 * holds only the batch's keys, never the whole state.
 */
public final class StateChanges {
  private final List<byte[]> keys = new ArrayList<>();
  private final List<byte @Nullable []> before = new ArrayList<>();
  private final List<byte @Nullable []> after = new ArrayList<>();

  /**
   * The position of each key's change, built when first asked for: only readers of the committed
   * state ask, while the changes are the newest applied and not yet committed, most batches never.
   * Those readers hold a shared lock and may ask at once from several threads, so the index is
   * built under this object's monitor and published through a volatile field, never seen half
   * built.
   */
  private volatile @Nullable Map<ByteBuffer, Integer> index;

  /**
   * Records that {@code key} goes from {@code oldValue} to {@code newValue}; once per key, and
   * only before the changes are applied.
   */
  public void add(byte[] key, byte @Nullable [] oldValue, byte @Nullable [] newValue) {
    if (index != null) {
      throw new IllegalStateException("state changes are indexed: no change can be added");
    }
    keys.add(key);
    before.add(oldValue);
    after.add(newValue);
  }

  /**
   * The position of {@code key}'s change, or -1 if this batch does not change it. Safe to call
   * from several threads at once once the changes are complete.
   */
  public int indexOf(byte[] key) {
    Map<ByteBuffer, Integer> built = index;
    if (built == null) {
      built = buildIndex();
    }
    return built.getOrDefault(ByteBuffer.wrap(key), -1);
  }

  private synchronized Map<ByteBuffer, Integer> buildIndex() {
    Map<ByteBuffer, Integer> built = index;
    if (built == null) {
      built = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        built.put(ByteBuffer.wrap(keys.get(i)), i);
      }
      index = built;
    }
    return built;
  }

  public int size() {
    return keys.size();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public byte[] key(int i) {
    return keys.get(i);
  }

  public byte @Nullable [] before(int i) {
    return before.get(i);
  }

  public byte @Nullable [] after(int i) {
    return after.get(i);
  }
}
