package io.sluice.api;

import java.util.Iterator;

/**
 * The function of {@link KeyValueGroupedDataset#mapGroupsWithState}: called once per key that has
 * rows in a batch (or whose timeout expired), with its rows and its state, returning one record.
 */
@FunctionalInterface
public interface MapGroupsWithStateFunction<K, V, S, U> {
  U call(K key, Iterator<V> values, GroupState<S> state) throws Exception;
}
