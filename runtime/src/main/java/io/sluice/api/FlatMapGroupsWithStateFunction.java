package io.sluice.api;

import java.util.Iterator;

/**
 * The function of {@link KeyValueGroupedDataset#flatMapGroupsWithState}: called once per key that
 * has rows in a batch (or whose timeout expired), with its rows and its state, returning any
 * number of records.
 */
@FunctionalInterface
public interface FlatMapGroupsWithStateFunction<K, V, S, U> {
  Iterable<? extends U> call(K key, Iterator<V> values, GroupState<S> state) throws Exception;
}
