package io.sluice.internal.state;

import java.util.ArrayList;
import java.util.List;
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

  /** Records that {@code key} goes from {@code oldValue} to {@code newValue}; once per key. */
  public void add(byte[] key, byte @Nullable [] oldValue, byte @Nullable [] newValue) {
    keys.add(key);
    before.add(oldValue);
    after.add(newValue);
  }

  private java.util.@Nullable Map<java.nio.ByteBuffer, Integer> index;

  /** The position of {@code key}'s change, or -1 if this batch does not change it. */
  public int indexOf(byte[] key) {
    if (index == null) {
      java.util.Map<java.nio.ByteBuffer, Integer> built = new java.util.HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        built.put(java.nio.ByteBuffer.wrap(keys.get(i)), i);
      }
      index = built;
    }
    return index.getOrDefault(java.nio.ByteBuffer.wrap(key), -1);
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
