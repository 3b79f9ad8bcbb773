package io.sluice.internal.exec;

import static io.sluice.internal.exec.TransformEntries.LIST;
import static io.sluice.internal.exec.TransformEntries.MAP;
import static io.sluice.internal.exec.TransformEntries.NEVER;
import static io.sluice.internal.exec.TransformEntries.TIMERS;
import static io.sluice.internal.exec.TransformEntries.TOMBSTONE;

import io.sluice.api.Clock;
import io.sluice.api.ErrorKind;
import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.SluiceException;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.QueryableState;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TimerValues;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.exec.ProcessorHandle.Phase;
import io.sluice.internal.exec.TransformEntries.Element;
import io.sluice.internal.plan.InitialState;
import io.sluice.internal.plan.TransformWithStatePlan;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * {@code transformWithState}: holds a batch's rows by key, calls the processor once per key with
 * its rows, then once per timer that fired, in time order, as Spark 4 does; the records it
 * returns are the operator's output.
 *
 * <p>State lives in {@link TransformEntries}; this class runs a batch over it: it drops values
 * past their TTL first, then lets the processor read and write through its {@link
 * ProcessorHandle}, fires the timers that are due, and writes the net changes as the batch's
 * version, so that a timer removed when it fires is removed in the same version.
 */
final class TransformWithState implements RowOperator {
  /** The state version the query's first batch writes. */
  private static final long FIRST_VERSION = 1;
  /**
   * The processors of the queries running in this JVM: a processor keeps one query's state
   * variables in its fields, so one instance cannot serve two queries at once.
   */
  private static final Set<Object> RUNNING = Collections.synchronizedSet(
      Collections.newSetFromMap(new IdentityHashMap<>()));

  private final TransformWithStatePlan plan;
  private final StateStore store;
  private final TransformEntries entries;
  private final ProcessorHandle handle;
  private final ExecutorService workers;
  private final Clock clock;
  private final int retain;
  private final RecordRows output;
  private final GroupKeys keys;
  private final StatefulProcessor<Object, Object, Object> processor;
  private boolean deletionsCommitted;

  private final KeyedRows rowsByKey;
  /** Entries removed this batch because all their values passed their TTL. */
  private final Set<ByteBuffer> expiredKeys = new HashSet<>();

  /** Per partition, no committed timer is earlier; MIN_VALUE when unknown. */
  private final long[] earliestTimer;
  private final long[] nextEarliestTimer;
  /** Per partition, no committed value expires earlier; MIN_VALUE when unknown. */
  private final long[] earliestExpiry;
  private final long[] nextEarliestExpiry;

  private long updatedRows;
  private long removedRows;

  @SuppressWarnings("unchecked")
  TransformWithState(String operator, TransformWithStatePlan plan, EngineContext context,
      @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = context.workers();
    this.clock = context.clock();
    this.retain = context.state().minBatchesToRetain();
    this.output = new RecordRows(plan.output());
    this.keys = new GroupKeys(plan.keyType());
    this.rowsByKey = new KeyedRows(new RecordRows(plan.values()), keys, plan.keyFunction());
    StateTypes.checkKey(plan.keyType(), !GroupKeys.scalar(plan.keyType()), stateDirectory,
        "transform", "the state of transformWithState");
    this.store = stateDirectory == null ? new StateStore(operator, context.state(), 32, 64)
        : StateStore.open(operator, stateDirectory.resolve("transform"), context.state(), 32, 64,
            committedVersion, workers);
    this.entries = new TransformEntries(store);
    this.handle = new ProcessorHandle(entries, plan.timeMode(), stateDirectory);
    int partitions = context.state().partitions();
    this.earliestTimer = new long[partitions];
    Arrays.fill(earliestTimer, Long.MIN_VALUE);
    this.nextEarliestTimer = earliestTimer.clone();
    this.earliestExpiry = earliestTimer.clone();
    this.nextEarliestExpiry = earliestTimer.clone();
    this.processor = (StatefulProcessor<Object, Object, Object>) plan.processor();
    if (!RUNNING.add(processor)) {
      store.close();
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "StatefulProcessor "
          + processor.getClass().getName() + " already runs in another query: a processor keeps"
          + " the state variables of one query, so give each query its own instance");
    }
    plan.installHandle().accept(processor, handle);
    try {
      processor.init(plan.operatorMode(), plan.timeMode());
      handle.enter(Phase.INITIALIZED, null);
      handle.recordVariables();
    } catch (RuntimeException e) {
      RUNNING.remove(processor);
      store.close();
      throw e instanceof SluiceException s ? s : new SluiceException(ErrorKind.EXECUTION,
          "the init of StatefulProcessor " + processor.getClass().getName()
              + " of transformWithState failed: " + e, e);
    }
  }

  @Override
  public void beginBatch() {
    rowsByKey.clear();
    entries.beginBatch();
    expiredKeys.clear();
    store.beginBatch();
  }

  /**
   * Holds the rows by key; when the input has a watermark, rows behind it are late and dropped,
   * in every time mode, as in Spark.
   */
  @Override
  public void accept(ColumnBatch in, ColumnBatch out, BatchEventTime time) throws Exception {
    rowsByKey.add(in, plan.eventTimeColumn(), time.lateWatermark);
  }

  /**
   * Removes values whose TTL passed, hands over the initial state (first batch only), calls the
   * processor for each key with rows, then for each timer the batch's time (or watermark)
   * passed, and writes the changes as {@code version}.
   */
  @Override
  public void finish(long version, BatchEventTime time, List<ColumnBatch> out) {
    ColumnBatch emitted = new ColumnBatch(plan.outputSchema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
    entries.processingTime(time.processingTime);
    updatedRows = 0;
    removedRows = 0;
    long[] expiryBound = earliestExpiry.clone();
    long[] timerBound = earliestTimer.clone();
    if (!deletionsCommitted && !handle.deleted().isEmpty()) {
      deleteVariables();
    }
    expireValues(time.processingTime, expiryBound);
    TimerValues timerValues = timerValues(time);
    handle.enter(Phase.INITIALIZED, null);
    InitialState initial = plan.initialState();
    if (initial != null && version == FIRST_VERSION) {
      InitialStateHandover.run(initial, processor, handle, keys, timerValues);
    }
    handleRows(timerValues, emitted);
    handle.enter(Phase.DATA_PROCESSED, null);
    fireTimers(time, timerValues, timerBound, emitted);
    handle.enter(Phase.TIMER_PROCESSED, null);
    apply(version, expiryBound, timerBound);
    if (emitted.size() > 0) {
      out.add(emitted);
    }
  }

  private void expireValues(long now, long[] expiryBound) {
    for (int p = 0; p < store.partitionCount(); p++) {
      if (earliestExpiry[p] <= now) {
        expiryBound[p] = expire(p);
      }
    }
  }

  private void handleRows(TimerValues timerValues, ColumnBatch emitted) {
    for (Map.Entry<ByteBuffer, List<Object>> e : rowsByKey.byKey().entrySet()) {
      handle.enter(Phase.INITIALIZED, e.getKey().array());
      Object key = rowsByKey.key(e.getKey());
      Iterable<Object> results;
      try {
        results = processor.handleInputRows(key, e.getValue().iterator(), timerValues);
      } catch (Exception ex) {
        throw new QueryFailure.Unchecked("transformWithState handleInputRows for key " + key, ex);
      }
      emit(results, emitted, "handleInputRows");
    }
  }

  /**
   * Fires the due timers in time order, then key order; a timer deleted by a handler before its
   * turn does not fire, and one that fired is deleted, so that it fires exactly once.
   */
  private void fireTimers(BatchEventTime time, TimerValues timerValues, long[] timerBound,
      ColumnBatch emitted) {
    long threshold = timerThreshold(time);
    if (threshold == Long.MIN_VALUE) {
      return;
    }
    for (Timer timer : dueTimers(threshold, timerBound)) {
      if (Arrays.binarySearch(entries.timersOf(timer.key), timer.time) < 0) {
        continue;
      }
      handle.enter(Phase.DATA_PROCESSED, timer.key);
      Object key = keys.decode(timer.key);
      ExpiredTimerInfo info = () -> timer.time;
      Iterable<Object> results;
      try {
        results = processor.handleExpiredTimer(key, timerValues, info);
      } catch (Exception ex) {
        throw new QueryFailure.Unchecked("transformWithState handleExpiredTimer for key " + key
            + " at " + timer.time, ex);
      }
      emit(results, emitted, "handleExpiredTimer");
      entries.deleteTimer(timer.key, timer.time);
    }
  }

  /** The timers at or before {@code threshold}, committed or written this batch, in order. */
  private List<Timer> dueTimers(long threshold, long[] timerBound) {
    List<Timer> due = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      if (earliestTimer[p] <= threshold) {
        timerBound[p] = dueTimers(p, threshold, due);
      }
    }
    for (Map.Entry<ByteBuffer, byte[]> e : entries.overlay().entrySet()) {
      byte[] k = e.getKey().array();
      if (k[0] == TIMERS && e.getValue() != TOMBSTONE) {
        for (long t : TransformEntries.timers(e.getValue())) {
          if (t <= threshold) {
            due.add(new Timer(t, TransformEntries.groupKeyOf(k)));
          }
        }
      }
    }
    due.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
        : Arrays.compareUnsigned(a.key, b.key));
    return due;
  }

  private record Timer(long time, byte[] key) {}

  private TimerValues timerValues(BatchEventTime time) {
    long now = time.processingTime;
    // As in Spark, the watermark is given in every time mode, -1 when the query has none.
    long mark = time.hasWatermark ? time.watermark : -1;
    return new TimerValues() {
      @Override
      public long getCurrentProcessingTimeInMs() {
        return now;
      }

      @Override
      public long getCurrentWatermarkInMs() {
        return mark;
      }
    };
  }

  private void emit(@Nullable Iterable<Object> results, ColumnBatch emitted, String call) {
    String what = "transformWithState " + call;
    if (results == null) {
      throw new SluiceException(ErrorKind.EXECUTION, what + " returned null instead of records");
    }
    for (Object r : results) {
      output.append(r, emitted, what);
    }
  }

  /**
   * Timers fire when the batch's processing time, or its watermark (the one it evicts by),
   * reaches them: a timer at t fires once the time is t or later, as in Spark 4's timer scan.
   */
  private long timerThreshold(BatchEventTime time) {
    switch (plan.timeMode()) {
      case PROCESSING_TIME:
        return time.processingTime;
      case EVENT_TIME:
        return time.hasWatermark ? time.watermark : Long.MIN_VALUE;
      default:
        return Long.MIN_VALUE;
    }
  }

  /** Adds the committed timers of partition {@code p} up to {@code threshold}; the new bound. */
  private long dueTimers(int p, long threshold, List<Timer> due) {
    long[] left = {NEVER};
    store.partition(p).forEach((key, value) -> {
      if (key[0] != TIMERS || entries.written(key)) {
        return;
      }
      boolean fires = false;
      for (long t : TransformEntries.timers(value)) {
        if (t <= threshold) {
          due.add(new Timer(t, TransformEntries.groupKeyOf(key)));
          fires = true;
        } else {
          if (!fires) {
            left[0] = Math.min(left[0], t);
          }
          break;
        }
      }
    });
    return left[0];
  }

  /**
   * Rewrites the entries of partition {@code p} that hold values past their TTL without them,
   * counting each value removed; the new bound of the partition's expiries.
   */
  private long expire(int p) {
    long[] left = {NEVER};
    List<byte[][]> expired = new ArrayList<>();
    store.partition(p).forEach((key, value) -> {
      if (key[0] == TIMERS || entries.written(key)) {
        return;
      }
      long due = TransformEntries.due(value);
      if (entries.expired(due)) {
        expired.add(new byte[][] {key, value});
      } else {
        left[0] = Math.min(left[0], due);
      }
    });
    for (byte[][] kv : expired) {
      byte[] key = kv[0];
      byte[] after;
      switch (key[0]) {
        case LIST -> {
          List<Element> all = TransformEntries.elements(kv[1]);
          List<Element> live = entries.live(all);
          removedRows += all.size() - live.size();
          after = live.isEmpty() ? TOMBSTONE : TransformEntries.encodeElements(live);
        }
        case MAP -> {
          List<Element> all = TransformEntries.entries(kv[1]);
          List<Element> live = entries.live(all);
          removedRows += all.size() - live.size();
          after = live.isEmpty() ? TOMBSTONE : TransformEntries.encodeEntries(live);
        }
        default -> {
          removedRows++;
          after = TOMBSTONE;
        }
      }
      entries.write(key, after == TOMBSTONE ? null : after);
      if (after == TOMBSTONE) {
        expiredKeys.add(ByteBuffer.wrap(key));
      }
    }
    return left[0];
  }

  /** Removes every entry of the variables deleted with {@code deleteIfExists}. */
  private void deleteVariables() {
    for (int p = 0; p < store.partitionCount(); p++) {
      store.partition(p).forEach((key, value) -> {
        if (key[0] != TIMERS && handle.deleted().contains(TransformEntries.nameOf(key))) {
          entries.write(key, null);
        }
      });
    }
  }

  /**
   * Writes the overlay's net changes as {@code version}; the bounds of the partitions' earliest
   * timer and expiry become those of the state after it.
   */
  private void apply(long version, long[] expiryBound, long[] timerBound) {
    List<StateChanges> changes = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      changes.add(new StateChanges());
    }
    for (Map.Entry<ByteBuffer, byte[]> e : entries.overlay().entrySet()) {
      byte[] key = e.getKey().array();
      int p = entries.partitionOf(key);
      byte[] old = store.partition(p).get(key);
      byte[] after = e.getValue() == TOMBSTONE ? null : e.getValue();
      if (after != null) {
        long due = TransformEntries.due(after);
        if (key[0] == TIMERS) {
          timerBound[p] = Math.min(timerBound[p], due);
        } else {
          expiryBound[p] = Math.min(expiryBound[p], due);
        }
      }
      if (old == null && after == null || old != null && after != null
          && Arrays.equals(old, after)) {
        continue;
      }
      changes.get(p).add(key, old, after);
      if (after != null) {
        updatedRows++;
      } else if (!expiredKeys.contains(e.getKey())) {
        // Values past their TTL were counted one by one already.
        removedRows++;
      }
    }
    store.apply(version, changes, workers, "transformWithState state");
    System.arraycopy(expiryBound, 0, nextEarliestExpiry, 0, expiryBound.length);
    System.arraycopy(timerBound, 0, nextEarliestTimer, 0, timerBound.length);
  }

  @Override
  public void afterCommit(long committed) {
    System.arraycopy(nextEarliestTimer, 0, earliestTimer, 0, earliestTimer.length);
    System.arraycopy(nextEarliestExpiry, 0, earliestExpiry, 0, earliestExpiry.length);
    deletionsCommitted = true;
    store.afterCommit(committed, retain);
  }

  /**
   * In processing-time mode, when some timer or some value's TTL is due (where Spark runs one
   * every trigger); in event-time mode, when the watermark moved, as Spark.
   */
  @Override
  public boolean needsBatchWithoutData(boolean watermarkMoved, long now) {
    switch (plan.timeMode()) {
      case PROCESSING_TIME:
        return Arrays.stream(earliestTimer).anyMatch(t -> t <= now)
            || Arrays.stream(earliestExpiry).anyMatch(t -> t <= now);
      case EVENT_TIME:
        return watermarkMoved;
      default:
        return false;
    }
  }

  @Override
  public StateOperatorProgress progress(int statePartitions, long allUpdatesTimeMs) {
    return new StateOperatorProgress("transformWithState", store.size(), updatedRows,
        allUpdatesTimeMs, removedRows, MicroBatchExecution.millis(store.takeCommitNanos()),
        store.offHeapBytes(), rowsByKey.late(), statePartitions, statePartitions);
  }

  /**
   * A view of state variable {@code name}'s committed values by key, as {@code kind} of {@code
   * types}, which must be how it is declared; a value past its TTL on the engine's clock is not
   * shown.
   */
  <K, V> QueryableState<K, V> queryable(String name, byte kind, Class<K> keyType,
      List<Class<?>> types) {
    if (StateValueCodec.boxed(keyType) != plan.keyType()) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, "transformWithState keeps state by key "
          + plan.keyType().getName() + ", not " + keyType.getName());
    }
    StateVariable variable = handle.variable(name);
    variable.checkView(kind, types);
    return new VariableView<>(variable, keyType, store, entries, clock);
  }

  @Override
  public String describe() {
    return "transformWithState";
  }

  @Override
  public void close() {
    try {
      processor.close();
    } finally {
      RUNNING.remove(processor);
      store.close();
    }
  }
}
