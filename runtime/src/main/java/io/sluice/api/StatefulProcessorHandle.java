package io.sluice.api;

import java.util.Iterator;

/**
 * What a {@link StatefulProcessor} reaches its state and timers through, as Spark's {@code
 * StatefulProcessorHandle}: state variables are declared in {@link StatefulProcessor#init}, by a
 * name unique within the processor; timers belong to the key being processed.
 */
public interface StatefulProcessorHandle {
  /** Declares a value per key, kept until cleared. */
  default <S> ValueState<S> getValueState(String name, Class<S> type) {
    return getValueState(name, type, TTLConfig.NONE);
  }

  /** Declares a value per key that expires {@code ttl} after its last update. */
  <S> ValueState<S> getValueState(String name, Class<S> type, TTLConfig ttl);

  /** Declares a list per key, kept until cleared. */
  default <S> ListState<S> getListState(String name, Class<S> type) {
    return getListState(name, type, TTLConfig.NONE);
  }

  /** Declares a list per key whose elements each expire {@code ttl} after they were written. */
  <S> ListState<S> getListState(String name, Class<S> type, TTLConfig ttl);

  /** Declares a map per key, kept until cleared. */
  default <K, V> MapState<K, V> getMapState(String name, Class<K> keyType, Class<V> valueType) {
    return getMapState(name, keyType, valueType, TTLConfig.NONE);
  }

  /** Declares a map per key whose entries each expire {@code ttl} after they were written. */
  <K, V> MapState<K, V> getMapState(String name, Class<K> keyType, Class<V> valueType,
      TTLConfig ttl);

  /** Registers a timer for the current key at {@code expiryTimestampMs}; again is a no-op. */
  void registerTimer(long expiryTimestampMs);

  /** Deletes the current key's timer at {@code expiryTimestampMs}, if it has one. */
  void deleteTimer(long expiryTimestampMs);

  /** The current key's timers, earliest first. */
  Iterator<Long> listTimers();

  /** Removes a state variable no longer declared, with all its values; in init only. */
  void deleteIfExists(String name);
}
