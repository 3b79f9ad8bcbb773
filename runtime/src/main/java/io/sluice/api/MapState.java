package io.sluice.api;

import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A map per grouping key, kept by a {@code transformWithState} processor, as Spark's {@code
 * MapState}; it always refers to the key being processed.
 *
 * @param <K> the user key type
 * @param <V> the value type
 */
public interface MapState<K, V> {
  /** Whether the key's map has (live) entries. */
  boolean exists();

  /** The value of {@code key}, or null. */
  @Nullable V getValue(K key);

  /** Whether the map has {@code key}. */
  boolean containsKey(K key);

  /** Sets the value of {@code key}; null keys or values are refused, as in Spark. */
  void updateValue(K key, V value);

  /** The entries, in the order their keys were first written. */
  Iterator<Map.Entry<K, V>> iterator();

  /** The user keys. */
  Iterator<K> keys();

  /** The values. */
  Iterator<V> values();

  /** Removes {@code key}. */
  void removeKey(K key);

  /** Removes the key's whole map. */
  void clear();
}
