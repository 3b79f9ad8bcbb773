package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.FlatMapGroupsWithStateFunction;
import io.sluice.api.GroupStateTimeout;
import io.sluice.api.MapGroupsWithStateFunction;
import io.sluice.api.QueryableState;
import io.sluice.api.SluiceException;
import io.sluice.api.StateOperatorProgress;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.plan.GroupsWithStatePlan;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.statecodec.StateCodec;
import io.sluice.internal.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * {@code mapGroupsWithState} / {@code flatMapGroupsWithState}: holds a batch's rows by key, then
 * calls the user's function once per key with its rows and its state, then once per key whose
 * timeout expired, as Spark does; the records the function returns are the operator's output.
 *
 * <p>State entries are the key's timeout (epoch ms, or none) followed by the state record, if
 * any; all changes of a batch are written as its version, so a batch run again calls the
 * function over the state as it was before.
 */
final class GroupsWithState implements RowOperator {
  private final GroupsWithStatePlan plan;
  private final StateStore store;
  private final ExecutorService workers;
  private final int retain;
  private final RecordRows values;
  private final RecordRows output;
  private final GroupKeys keys;
  private final StateCodec<Object> states;
  private final KeyedRows rowsByKey;
  /** Per partition, no committed key times out earlier; MIN_VALUE when unknown. */
  private final long[] earliestTimeout;
  private final long[] nextEarliestTimeout;
  private long updatedKeys;
  private long removedKeys;

  @SuppressWarnings("unchecked")
  GroupsWithState(String operator, GroupsWithStatePlan plan, EngineContext context,
      @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = context.workers();
    this.retain = context.state().minBatchesToRetain();
    this.values = new RecordRows(plan.values());
    this.output = new RecordRows(plan.output());
    this.keys = new GroupKeys(plan.keyType());
    this.rowsByKey = new KeyedRows(values, keys, plan.keyFunction());
    String description = "the state of " + plan.operatorName();
    StateTypes.checkKey(plan.keyType(), !GroupKeys.scalar(plan.keyType()), stateDirectory,
        "groups", description);
    this.states = StateTypes.stateCodec(plan.stateType(), stateDirectory, "groups", description);
    this.store = stateDirectory == null ? new StateStore(operator, context.state(), 24, 64)
        : StateStore.open(operator, stateDirectory.resolve("groups"), context.state(), 24, 64,
            committedVersion, workers);
    this.earliestTimeout = new long[context.state().partitions()];
    Arrays.fill(earliestTimeout, Long.MIN_VALUE);
    this.nextEarliestTimeout = earliestTimeout.clone();
  }

  @Override
  public void beginBatch() {
    rowsByKey.clear();
    store.beginBatch();
  }

  /** Holds the rows by key; with an event-time timeout, rows behind the watermark are late. */
  @Override
  public void accept(ColumnBatch in, ColumnBatch out, BatchEventTime time) throws Exception {
    rowsByKey.add(in, plan.timeout() == GroupStateTimeout.EVENT_TIME_TIMEOUT
        ? plan.eventTimeColumn() : -1, time.lateWatermark);
  }

  /**
   * Calls the function for each key with rows, then for each key whose timeout the batch's time
   * (or watermark) passed, and writes the state changes as {@code version}.
   */
  @Override
  public void finish(long version, BatchEventTime time, List<ColumnBatch> out) {
    ColumnBatch emitted = new ColumnBatch(plan.outputSchema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
    List<StateChanges> changes = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      changes.add(new StateChanges());
    }
    long[] earliest = earliestTimeout.clone();
    updatedKeys = 0;
    removedKeys = 0;
    for (Map.Entry<ByteBuffer, List<Object>> e : rowsByKey.byKey().entrySet()) {
      byte[] key = e.getKey().array();
      int p = partitionOf(key);
      byte[] old = store.partition(p).get(key);
      call(key, rowsByKey.key(e.getKey()), e.getValue().iterator(), old, false, time, emitted,
          changes.get(p), earliest, p);
    }
    long threshold = timeoutThreshold(time);
    if (threshold != Long.MIN_VALUE) {
      for (int p = 0; p < store.partitionCount(); p++) {
        if (earliestTimeout[p] < threshold) {
          earliest[p] = timeOut(p, threshold, time, emitted, changes.get(p));
        }
      }
    }
    store.apply(version, changes, workers, plan.operatorName() + " state");
    System.arraycopy(earliest, 0, nextEarliestTimeout, 0, earliest.length);
    if (emitted.size() > 0) {
      out.add(emitted);
    }
  }

  /** Keys time out when their timeout is before the batch's time, or before its watermark. */
  private long timeoutThreshold(BatchEventTime time) {
    switch (plan.timeout()) {
      case PROCESSING_TIME_TIMEOUT:
        return time.processingTime;
      case EVENT_TIME_TIMEOUT:
        return time.hasWatermark ? time.watermark : Long.MIN_VALUE;
      default:
        return Long.MIN_VALUE;
    }
  }

  /** Calls the function for every key of partition {@code p} that timed out; the new bound. */
  private long timeOut(int p, long threshold, BatchEventTime time, ColumnBatch emitted,
      StateChanges changes) {
    List<byte[][]> due = new ArrayList<>();
    long[] left = {Long.MAX_VALUE};
    store.partition(p).forEach((key, value) -> {
      long timeout = ByteBuffer.wrap(value).getLong();
      if (timeout == GroupStateImpl.NO_TIMESTAMP) {
        return;
      }
      if (rowsByKey.contains(key)) {
        // Called with rows already: its old timeout is gone or rewritten, a bound either way.
        left[0] = Math.min(left[0], timeout);
      } else if (timeout < threshold) {
        due.add(new byte[][] {key, value});
      } else {
        left[0] = Math.min(left[0], timeout);
      }
    });
    long[] bound = {left[0]};
    for (byte[][] kv : due) {
      call(kv[0], keys.decode(kv[0]), Collections.emptyIterator(), kv[1], true, time, emitted,
          changes, null, p);
    }
    // Keys called with rows in this batch may have set timeouts too.
    for (int i = 0; i < changes.size(); i++) {
      byte[] after = changes.after(i);
      if (after != null) {
        long timeout = ByteBuffer.wrap(after).getLong();
        if (timeout != GroupStateImpl.NO_TIMESTAMP) {
          bound[0] = Math.min(bound[0], timeout);
        }
      }
    }
    return bound[0];
  }

  @SuppressWarnings("unchecked")
  private void call(byte[] key, @Nullable Object keyObject, Iterator<Object> rows,
      byte @Nullable [] old, boolean timedOut, BatchEventTime time, ColumnBatch emitted,
      StateChanges changes, long @Nullable [] earliest, int p) {
    Object current = old == null || old.length <= 8 ? null
        : states.decode(Arrays.copyOfRange(old, 8, old.length));
    GroupStateImpl<Object> state = new GroupStateImpl<>(plan.operatorName(), current,
        plan.timeout(), time.processingTime, time.watermark, time.hasWatermark, timedOut);
    String what = plan.operatorName() + " function";
    try {
      if (plan.flat()) {
        Iterable<?> results = ((FlatMapGroupsWithStateFunction<Object, Object, Object, Object>)
            plan.function()).call(keyObject, rows, state);
        if (results == null) {
          throw new IllegalStateException(what + " returned null instead of records");
        }
        for (Object r : results) {
          output.append(r, emitted, what);
        }
      } else {
        output.append(((MapGroupsWithStateFunction<Object, Object, Object, Object>)
            plan.function()).call(keyObject, rows, state), emitted, what);
      }
    } catch (Exception e) {
      throw new QueryFailure.Unchecked(what + " for key " + keyObject, e);
    }
    record(key, old, state, changes, earliest, p);
  }

  /** Spark's rule: a key is written if its state or timeout changed, removed if both are gone. */
  private void record(byte[] key, byte @Nullable [] old, GroupStateImpl<Object> state,
      StateChanges changes, long @Nullable [] earliest, int p) {
    long timeout = state.timeoutTimestamp();
    long oldTimeout = old == null ? GroupStateImpl.NO_TIMESTAMP : ByteBuffer.wrap(old).getLong();
    if (state.removed() && timeout == GroupStateImpl.NO_TIMESTAMP) {
      if (old != null) {
        changes.add(key, old, null);
        removedKeys++;
      }
      return;
    }
    if (!state.updated() && !state.removed() && timeout == oldTimeout) {
      return;
    }
    byte[] stateBytes = state.value() == null ? new byte[0] : states.encode(state.value());
    byte[] value = ByteBuffer.allocate(8 + stateBytes.length).putLong(timeout).put(stateBytes)
        .array();
    changes.add(key, old, value);
    updatedKeys++;
    if (earliest != null && timeout != GroupStateImpl.NO_TIMESTAMP) {
      earliest[p] = Math.min(earliest[p], timeout);
    }
  }


  private int partitionOf(byte[] key) {
    return store.partitionOf(KeyWriter.hash(key, 0, key.length));
  }

  @Override
  public void afterCommit(long committed) {
    System.arraycopy(nextEarliestTimeout, 0, earliestTimeout, 0, earliestTimeout.length);
    store.afterCommit(committed, retain);
  }

  /**
   * With an event-time timeout, when the watermark moved, as Spark. With a processing-time
   * timeout Spark runs a batch at every trigger; here only when some key's timeout is due (or not
   * yet known, before the first batch), so that an idle query does not write a batch to its
   * checkpoint in a loop.
   */
  @Override
  public boolean needsBatchWithoutData(boolean watermarkMoved, long now) {
    switch (plan.timeout()) {
      case PROCESSING_TIME_TIMEOUT:
        return Arrays.stream(earliestTimeout).anyMatch(t -> t < now);
      case EVENT_TIME_TIMEOUT:
        return watermarkMoved;
      default:
        return false;
    }
  }

  @Override
  public StateOperatorProgress progress(int statePartitions, long allUpdatesTimeMs) {
    // Spark names the operator so for both calls.
    return new StateOperatorProgress("flatMapGroupsWithState", store.size(), updatedKeys,
        allUpdatesTimeMs, removedKeys, MicroBatchExecution.millis(store.takeCommitNanos()),
        store.offHeapBytes(), rowsByKey.late(), statePartitions, statePartitions);
  }

  @Override
  public String describe() {
    return plan.operatorName();
  }

  /** A view of the committed state, typed as the caller expects; the types must match. */
  <K, S> QueryableState<K, S> queryable(Class<K> keyType, Class<S> stateType) {
    if (keyType != plan.keyType() || stateType != plan.stateType()) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, "the state function keeps state of "
          + plan.stateType().getName() + " by key " + plan.keyType().getName() + ", not "
          + stateType.getName() + " by " + keyType.getName());
    }
    return new QueryableState<K, S>() {
      @Override
      public Optional<S> get(K key) {
        byte[] k = keys.encode(key);
        return Optional.ofNullable(state(store.partition(partitionOf(k)).getCommitted(k),
            stateType));
      }

      @Override
      public Map<K, S> all() {
        Map<K, S> all = new LinkedHashMap<>();
        for (int p = 0; p < store.partitionCount(); p++) {
          store.partition(p).forEachCommitted((k, v) -> {
            S s = state(v, stateType);
            if (s != null) {
              all.put(keyType.cast(keys.decode(k)), s);
            }
          });
        }
        return all;
      }
    };
  }

  private <S> @Nullable S state(byte @Nullable [] value, Class<S> stateType) {
    return value == null || value.length <= 8 ? null
        : stateType.cast(states.decode(Arrays.copyOfRange(value, 8, value.length)));
  }

  @Override
  public void close() {
    store.close();
  }
}
