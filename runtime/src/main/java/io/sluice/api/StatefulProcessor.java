package io.sluice.api;

import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The user logic of {@link KeyValueGroupedDataset#transformWithState}, as Spark 4's {@code
 * StatefulProcessor}: {@link #init} declares state variables through {@link #getHandle()}; then,
 * per batch, {@link #handleInputRows} is called once per key with new rows and {@link
 * #handleExpiredTimer} once per timer that fired, and the records they return are the output.
 *
 * <p>One instance serves every key of the query: keep per-key data in state variables, not in
 * fields.
 *
 * @param <K> the grouping key type
 * @param <I> the input record type
 * @param <O> the output record type
 */
public abstract class StatefulProcessor<K, I, O> {
  private @Nullable StatefulProcessorHandle handle;

  /** Declares the state variables, once before the first batch. */
  public abstract void init(OutputMode outputMode, TimeMode timeMode);

  /** Handles a key's new rows of a batch; returns the records to emit. */
  public abstract Iterable<O> handleInputRows(K key, Iterator<I> rows, TimerValues timerValues);

  /** Handles a timer of {@code key} that fired; emits nothing unless overridden. */
  public Iterable<O> handleExpiredTimer(K key, TimerValues timerValues,
      ExpiredTimerInfo expiredTimerInfo) {
    return List.of();
  }

  /** Called when the query stops. */
  public void close() {}

  /** The handle to state and timers; set by the engine before {@link #init}. */
  public final StatefulProcessorHandle getHandle() {
    if (handle == null) {
      throw new SluiceException(ErrorKind.EXECUTION, "the handle of a StatefulProcessor is set"
          + " only when transformWithState runs it");
    }
    return handle;
  }

  /** Set by the engine. */
  final void setHandle(StatefulProcessorHandle handle) {
    this.handle = handle;
  }
}
