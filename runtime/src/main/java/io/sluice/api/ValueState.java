package io.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * One value per grouping key, kept by a {@code transformWithState} processor, as Spark's {@code
 * ValueState}; it always refers to the key being processed.
 *
 * @param <S> the value type: a record, a String, a boxed number, a Boolean or an Instant
 */
public interface ValueState<S> {
  /** Whether the key has a (live) value. */
  boolean exists();

  /** The key's value, or null when it has none. */
  @Nullable S get();

  /** Replaces the key's value; null is refused, as in Spark. */
  void update(S value);

  /** Removes the key's value. */
  void clear();
}
