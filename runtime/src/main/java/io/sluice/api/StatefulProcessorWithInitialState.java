package io.sluice.api;

/**
 * A {@link StatefulProcessor} that starts from state the application already has, as Spark 4's
 * {@code StatefulProcessorWithInitialState}: given with {@link
 * KeyValueGroupedDataset#transformWithState(StatefulProcessorWithInitialState, TimeMode,
 * OutputMode, KeyValueGroupedDataset, Class)}, each key of the initial state is handed to {@link
 * #handleInitialState} once, in the query's first batch, before any input row; a query that
 * restarts from its checkpoint already has that state and does not see it again.
 *
 * <pre>{@code
 * KeyValueGroupedDataset<String, Visits> before = engine.createDataset(lastWeek, Visits.class)
 *     .groupByKey(Visits::user, String.class);
 * clicks.groupByKey(Click::user, String.class)
 *     .transformWithState(new CountVisits(), TimeMode.NONE, OutputMode.UPDATE, before,
 *         Visits.class);
 * }</pre>
 *
 * @param <K> the grouping key type
 * @param <I> the input record type
 * @param <O> the output record type
 * @param <S> the initial state's record type
 */
public abstract class StatefulProcessorWithInitialState<K, I, O, S>
    extends StatefulProcessor<K, I, O> {
  /**
   * Sets up the state of {@code key} from its initial state, through the state variables and
   * timers of {@link #getHandle()}; it emits nothing.
   */
  public abstract void handleInitialState(K key, S initialState, TimerValues timerValues);
}
