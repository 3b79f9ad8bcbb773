package io.sluice.api;

import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.plan.InitialState;
import io.sluice.internal.plan.LogicalPlan;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A typed dataset grouped by a key function, waiting for a function with per-key state: {@code
 * groupByKey(Click::user, String.class).mapGroupsWithState(...)}, as Spark's {@code
 * KeyValueGroupedDataset}.
 *
 * @param <K> the key type: a String, a boxed number, an Instant, or a record
 * @param <V> the record type of the rows
 */
public final class KeyValueGroupedDataset<K, V> {
  private final Dataset<V> input;
  private final MapFunction<V, K> keyFunction;
  private final Class<K> keyType;

  KeyValueGroupedDataset(Dataset<V> input, MapFunction<V, K> keyFunction, Class<K> keyType) {
    this.input = input;
    this.keyFunction = keyFunction;
    this.keyType = keyType;
  }

  /**
   * Calls {@code function} once per key with new rows in a batch (or whose timeout expired),
   * with its rows and state, and emits the one record it returns; the query runs in update mode.
   */
  public <S, U> Dataset<U> mapGroupsWithState(MapGroupsWithStateFunction<K, V, S, U> function,
      Class<S> stateType, Class<U> outputType, GroupStateTimeout timeout) {
    return withState(function, false, OutputMode.UPDATE, stateType, outputType, timeout);
  }

  /** The same without a timeout. */
  public <S, U> Dataset<U> mapGroupsWithState(MapGroupsWithStateFunction<K, V, S, U> function,
      Class<S> stateType, Class<U> outputType) {
    return mapGroupsWithState(function, stateType, outputType, GroupStateTimeout.NO_TIMEOUT);
  }

  /**
   * Calls {@code function} once per key with new rows in a batch (or whose timeout expired),
   * with its rows and state, and emits every record it returns. {@code outputMode} says what the
   * records mean, as in Spark: new rows (append) or the latest rows of their key (update); it
   * must be the query's output mode, or append when an aggregation follows.
   */
  public <S, U> Dataset<U> flatMapGroupsWithState(
      FlatMapGroupsWithStateFunction<K, V, S, U> function, OutputMode outputMode,
      Class<S> stateType, Class<U> outputType, GroupStateTimeout timeout) {
    if (outputMode == OutputMode.COMPLETE) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "the output mode of"
          + " flatMapGroupsWithState must be append or update, as in Spark");
    }
    return withState(function, true, outputMode, stateType, outputType, timeout);
  }

  private <S, U> Dataset<U> withState(Object function, boolean flat, OutputMode mode,
      Class<S> stateType, Class<U> outputType, GroupStateTimeout timeout) {
    // Checked now, so that an unusable state or output type fails where the query is written.
    RecordSchema.of(stateType);
    RecordSchema output = RecordSchema.of(outputType);
    LogicalPlan plan = new LogicalPlan.GroupsWithState(input.plan(),
        RecordSchema.of(input.recordType()), keyFunction, keyType, stateType, output, function,
        flat, mode, timeout);
    return new Dataset<>(input.engine(), plan, outputType);
  }

  /**
   * Runs {@code processor} over the groups, as Spark 4's {@code transformWithState}: per batch,
   * its {@link StatefulProcessor#handleInputRows} once per key with new rows, then its {@link
   * StatefulProcessor#handleExpiredTimer} once per timer that fired (on {@code timeMode}'s clock),
   * emitting the records they return; state variables and timers are kept in the query's state,
   * exactly once. {@code outputMode} is append or update and must be the query's, or append when
   * an aggregation follows.
   */
  public <O> Dataset<O> transformWithState(StatefulProcessor<K, V, O> processor,
      TimeMode timeMode, OutputMode outputMode, Class<O> outputType) {
    return transform(processor, timeMode, outputMode, outputType, null);
  }

  /**
   * The same, starting from {@code initialState}: a bounded dataset grouped by the same key
   * type, whose records {@link StatefulProcessorWithInitialState#handleInitialState} turns into
   * state, one key at a time, in the query's first batch before its input rows, as Spark 4 does.
   * A key may appear once in it; a query restarting from its checkpoint does not read it again.
   */
  public <O, S> Dataset<O> transformWithState(
      StatefulProcessorWithInitialState<K, V, O, S> processor, TimeMode timeMode,
      OutputMode outputMode, KeyValueGroupedDataset<K, S> initialState, Class<O> outputType) {
    if (initialState.input.isStreaming()) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "the initial state of"
          + " transformWithState must be a bounded dataset (read(), createDataset), not a"
          + " stream");
    }
    if (initialState.keyType != keyType) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, "the initial state of"
          + " transformWithState is grouped by " + initialState.keyType.getName()
          + " and the stream by " + keyType.getName() + "; the key types must be the same");
    }
    Dataset<S> records = initialState.input;
    return transform(processor, timeMode, outputMode, outputType,
        new InitialState(records::collectAsList, initialState.keyFunction, keyType));
  }

  private <O> Dataset<O> transform(StatefulProcessor<K, V, O> processor, TimeMode timeMode,
      OutputMode outputMode, Class<O> outputType, @Nullable InitialState initialState) {
    if (outputMode == OutputMode.COMPLETE) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "the output mode of transformWithState"
          + " must be append or update, as in Spark");
    }
    RecordSchema output = RecordSchema.of(outputType);
    BiConsumer<Object, Object> install =
        (p, h) -> ((StatefulProcessor<?, ?, ?>) p).setHandle((StatefulProcessorHandle) h);
    LogicalPlan plan = new LogicalPlan.TransformWithState(input.plan(),
        RecordSchema.of(input.recordType()), keyFunction, keyType, output, processor, install,
        timeMode, outputMode, initialState);
    return new Dataset<>(input.engine(), plan, outputType);
  }
}
