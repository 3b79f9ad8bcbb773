package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.MapFunction;
import io.sluice.api.SluiceException;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.StatefulProcessorWithInitialState;
import io.sluice.api.TimerValues;
import io.sluice.internal.exec.ProcessorHandle.Phase;
import io.sluice.internal.plan.InitialState;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands a {@code transformWithState}'s initial state to its processor, a key at a time, as
 * Spark 4 does in the query's first batch: the first batch runs it before its rows, and again
 * only if that batch runs again, its writes having been dropped with it.
 */
final class InitialStateHandover {
  private InitialStateHandover() {}

  @SuppressWarnings("unchecked")
  static void run(InitialState initial, StatefulProcessor<Object, Object, Object> processor,
      ProcessorHandle handle, GroupKeys keys, TimerValues timerValues) {
    List<?> records;
    try {
      records = initial.records().get();
    } catch (SluiceException e) {
      throw new SluiceException(e.kind(), "the initial state of transformWithState could not be"
          + " read: " + e.getMessage(), e);
    }
    MapFunction<Object, Object> keyOf = (MapFunction<Object, Object>) initial.keyFunction();
    var withInitialState =
        (StatefulProcessorWithInitialState<Object, Object, Object, Object>) processor;
    Set<ByteBuffer> seen = new HashSet<>();
    for (Object record : records) {
      Object key;
      byte[] k;
      try {
        key = keyOf.call(record);
        k = keys.encode(key);
      } catch (Exception e) {
        throw new QueryFailure.Unchecked("the key function of transformWithState's initial state"
            + " on " + record, e);
      }
      if (!seen.add(ByteBuffer.wrap(k))) {
        throw new SluiceException(ErrorKind.EXECUTION,
            "[STATEFUL_PROCESSOR_CANNOT_REINITIALIZE_STATE_ON_KEY] Cannot re-initialize state on"
                + " the same grouping key during initial state handling for stateful processor."
                + " Invalid grouping key=" + key + ".");
      }
      handle.enter(Phase.INITIALIZED, k);
      try {
        withInitialState.handleInitialState(key, record, timerValues);
      } catch (Exception e) {
        throw new QueryFailure.Unchecked("transformWithState handleInitialState for key " + key,
            e);
      }
    }
    handle.enter(Phase.INITIALIZED, null);
  }
}
