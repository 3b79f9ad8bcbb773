package io.sluice.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a running streaming query, returned by {@link DataStreamWriter#start()}.
 *
 * <p>A failure inside the query (a bad record under the fail policy, an error in a user function,
 * a sink that cannot write) stops the query; {@link #exception()} returns it and {@link
 * #awaitTermination()} throws it.
 */
public interface StreamingQuery {
  /** Stays the same across restarts from the same checkpoint. */
  UUID id();

  /** New for every start. */
  UUID runId();

  String name();

  boolean isActive();

  /** Waits until the query stops; throws the query's failure, if it failed. */
  void awaitTermination() throws InterruptedException;

  /** Waits at most {@code timeoutMillis}; true if the query stopped. */
  boolean awaitTermination(long timeoutMillis) throws InterruptedException;

  /**
   * Blocks until every record available in the sources when called has been processed and written
   * to the sink. For tests; with a source that never stops growing it may wait forever.
   */
  void processAllAvailable();

  /** Stops the query after the batch in progress, if any; waits until it has stopped. */
  void stop();

  /** The failure that stopped the query, or null. */
  @Nullable SluiceException exception();

  /** The progress of the last batch, or null before the first. */
  @Nullable StreamingQueryProgress lastProgress();

  /** The progress of the most recent batches, oldest first (at most 100). */
  List<StreamingQueryProgress> recentProgress();

  /** The plan, the generated stage classes and which compiler built them. */
  String explain();

  /**
   * The state of this query's {@code mapGroupsWithState} / {@code flatMapGroupsWithState}, for
   * lookups while it runs; {@code keyType} and {@code stateType} must be the ones it declares.
   */
  <K, S> QueryableState<K, S> queryableState(Class<K> keyType, Class<S> stateType);

  /**
   * A {@code ValueState} variable of this query's {@code transformWithState}, by grouping key,
   * for lookups while it runs, as of the last committed batch; values past their TTL (on the
   * engine's clock) are not shown. The types must be the ones the processor declares. Once the
   * query stops, reads fail.
   *
   * <pre>{@code
   * QueryableState<String, Count> counts =
   *     query.queryableValueState("count", String.class, Count.class);
   * Optional<Count> ann = counts.get("ann");
   * }</pre>
   */
  <K, S> QueryableState<K, S> queryableValueState(String variable, Class<K> keyType,
      Class<S> valueType);

  /** A {@code ListState} variable of this query's {@code transformWithState}, by grouping key. */
  <K, S> QueryableState<K, List<S>> queryableListState(String variable, Class<K> keyType,
      Class<S> elementType);

  /** A {@code MapState} variable of this query's {@code transformWithState}, by grouping key. */
  <K, UK, UV> QueryableState<K, Map<UK, UV>> queryableMapState(String variable,
      Class<K> keyType, Class<UK> userKeyType, Class<UV> valueType);
}
