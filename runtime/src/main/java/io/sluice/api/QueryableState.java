package io.sluice.api;

import java.util.Map;
import java.util.Optional;

/**
 * The per-key state of a running query's state function, readable from any thread while the query
 * runs, as Kafka Streams' interactive queries: every read sees the state as of the last committed
 * batch, never a batch half-applied or one that may yet be run again.
 *
 * <p>Once the query stops (or fails), its state is closed: a read then throws a {@link
 * SluiceException} saying so; restart the query from its checkpoint to read the state again.
 *
 * <pre>{@code
 * QueryableState<String, Visit> visits = query.queryableState(String.class, Visit.class);
 * Optional<Visit> ann = visits.get("ann");
 * }</pre>
 *
 * @param <K> the key type of {@code groupByKey}
 * @param <S> the state type
 */
public interface QueryableState<K, S> {
  /** The state of {@code key}, if it has any. */
  Optional<S> get(K key);

  /** Every key that has state, with its state. */
  Map<K, S> all();
}
