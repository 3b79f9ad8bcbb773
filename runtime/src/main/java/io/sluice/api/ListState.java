package io.sluice.api;

import java.util.Iterator;
import java.util.List;

/**
 * A list of values per grouping key, kept by a {@code transformWithState} processor, as Spark's
 * {@code ListState}; it always refers to the key being processed.
 *
 * @param <S> the element type: a record, a String, a boxed number, a Boolean or an Instant
 */
public interface ListState<S> {
  /** Whether the key's list has (live) elements. */
  boolean exists();

  /** The key's elements in order; empty when there are none. */
  Iterator<S> get();

  /** Replaces the key's list; an empty list or a null element is refused, as in Spark. */
  void put(List<S> values);

  /** Appends one element. */
  void appendValue(S value);

  /** Appends elements; an empty list or a null element is refused, as in Spark. */
  void appendList(List<S> values);

  /** Removes the key's list. */
  void clear();
}
