package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.ListState;
import io.sluice.api.MapState;
import io.sluice.api.SluiceException;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.StatefulProcessorHandle;
import io.sluice.api.TTLConfig;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import io.sluice.api.ValueState;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.plan.TransformWithStatePlan;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.state.StateStore;
import io.sluice.internal.statecodec.StateCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * <p>Every state variable of a key is one state-store entry, keyed by kind, variable name and
 * grouping key; a key's timers are one more entry. An entry's value starts with the time it is
 * next due (its earliest timer, or the earliest expiry of its values under a TTL; {@code
 * Long.MAX_VALUE} for never). The processor's reads and writes go through a batch overlay whose
 * net changes are written as the batch's version, so that a batch run again sees the state as it
 * was before, and a timer removed when it fires is removed in the same version.
 */
final class TransformWithState implements RowOperator {
  private static final byte VALUE = 1;
  private static final byte LIST = 2;
  private static final byte MAP = 3;
  private static final byte TIMERS = 4;
  private static final long NEVER = Long.MAX_VALUE;
  private static final byte[] TOMBSTONE = new byte[0];

  private final TransformWithStatePlan plan;
  private final StateStore store;
  private final ExecutorService workers;
  private final int retain;
  private final RecordRows values;
  private final RecordRows output;
  private final GroupKeys keys;
  private final @Nullable Path stateDirectory;
  private final StatefulProcessor<Object, Object, Object> processor;
  private final Map<String, Variable> variables = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();
  private boolean deletionsCommitted;

  private final KeyedRows rowsByKey;
  /** The batch's writes by entry key; {@link #TOMBSTONE} for a removal. */
  private final Map<ByteBuffer, byte[]> overlay = new LinkedHashMap<>();
  /** Entries removed this batch because all their values passed their TTL. */
  private final Set<ByteBuffer> expiredKeys = new HashSet<>();

  /** Per partition, no committed timer is earlier; MIN_VALUE when unknown. */
  private final long[] earliestTimer;
  private final long[] nextEarliestTimer;
  /** Per partition, no committed value expires earlier; MIN_VALUE when unknown. */
  private final long[] earliestExpiry;
  private final long[] nextEarliestExpiry;

  private String handleState = "CREATED";
  private byte @Nullable [] currentKey;
  private long processingTime;
  private long watermark = -1;
  private long updatedRows;
  private long removedRows;

  @SuppressWarnings("unchecked")
  TransformWithState(String operator, TransformWithStatePlan plan, EngineContext context,
      @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = context.workers();
    this.retain = context.state().minBatchesToRetain();
    this.values = new RecordRows(plan.values());
    this.output = new RecordRows(plan.output());
    this.keys = new GroupKeys(plan.keyType());
    this.rowsByKey = new KeyedRows(values, keys, plan.keyFunction());
    this.stateDirectory = stateDirectory;
    StateTypes.checkKey(plan.keyType(), !GroupKeys.scalar(plan.keyType()), stateDirectory,
        "transform", "the state of transformWithState");
    this.store = stateDirectory == null ? new StateStore(operator, context.state(), 32, 64)
        : StateStore.open(operator, stateDirectory.resolve("transform"), context.state(), 32, 64,
            committedVersion, workers);
    int partitions = context.state().partitions();
    this.earliestTimer = new long[partitions];
    Arrays.fill(earliestTimer, Long.MIN_VALUE);
    this.nextEarliestTimer = earliestTimer.clone();
    this.earliestExpiry = earliestTimer.clone();
    this.nextEarliestExpiry = earliestTimer.clone();
    this.processor = (StatefulProcessor<Object, Object, Object>) plan.processor();
    plan.installHandle().accept(processor, new Handle());
    try {
      processor.init(plan.operatorMode(), plan.timeMode());
    } catch (SluiceException e) {
      store.close();
      throw e;
    } catch (RuntimeException e) {
      store.close();
      throw new SluiceException(ErrorKind.EXECUTION, "the init of the StatefulProcessor of"
          + " transformWithState failed: " + e, e);
    }
    handleState = "INITIALIZED";
  }

  @Override
  public void beginBatch() {
    rowsByKey.clear();
    overlay.clear();
    expiredKeys.clear();
    store.beginBatch();
  }

  /** Holds the rows by key; in event-time mode, rows behind the watermark are late. */
  @Override
  public void accept(ColumnBatch in, ColumnBatch out, BatchEventTime time) throws Exception {
    rowsByKey.add(in, plan.timeMode() == TimeMode.EVENT_TIME ? plan.eventTimeColumn() : -1,
        time.lateWatermark);
  }

  /**
   * Removes values whose TTL passed, calls the processor for each key with rows, then for each
   * timer the batch's time (or watermark) passed, and writes the changes as {@code version}.
   */
  @Override
  public void finish(long version, BatchEventTime time, List<ColumnBatch> out) {
    ColumnBatch emitted = new ColumnBatch(plan.outputSchema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
    processingTime = time.processingTime;
    watermark = plan.timeMode() == TimeMode.EVENT_TIME && time.hasWatermark ? time.watermark : -1;
    updatedRows = 0;
    removedRows = 0;
    int partitions = store.partitionCount();
    long[] expiryBound = earliestExpiry.clone();
    long[] timerBound = earliestTimer.clone();
    if (!deletionsCommitted && !deleted.isEmpty()) {
      deleteVariables();
    }
    for (int p = 0; p < partitions; p++) {
      if (earliestExpiry[p] <= processingTime) {
        expiryBound[p] = expire(p);
      }
    }
    TimerValues timerValues = timerValues();
    for (Map.Entry<ByteBuffer, List<Object>> e : rowsByKey.byKey().entrySet()) {
      currentKey = e.getKey().array();
      handleState = "DATA_PROCESSED";
      Object key = rowsByKey.key(e.getKey());
      Iterable<Object> results;
      try {
        results = processor.handleInputRows(key, e.getValue().iterator(), timerValues);
      } catch (Exception ex) {
        throw new QueryFailure.Unchecked("transformWithState handleInputRows for key " + key, ex);
      }
      emit(results, emitted, "handleInputRows");
    }
    long threshold = timerThreshold(time);
    if (threshold != Long.MIN_VALUE) {
      List<Timer> due = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        if (earliestTimer[p] <= threshold) {
          timerBound[p] = dueTimers(p, threshold, due);
        }
      }
      for (Map.Entry<ByteBuffer, byte[]> e : overlay.entrySet()) {
        byte[] k = e.getKey().array();
        if (k[0] == TIMERS && e.getValue() != TOMBSTONE) {
          for (long t : timers(e.getValue())) {
            if (t <= threshold) {
              due.add(new Timer(t, Arrays.copyOfRange(k, 3, k.length)));
            }
          }
        }
      }
      due.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
          : Arrays.compareUnsigned(a.key, b.key));
      handleState = "TIMER_PROCESSED";
      for (Timer timer : due) {
        currentKey = timer.key;
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
        // As in Spark, the timer is deleted once handled, so it fires exactly once.
        deleteTimerOf(timer.key, timer.time);
      }
    }
    currentKey = null;
    handleState = "INITIALIZED";
    apply(version, expiryBound, timerBound);
    if (emitted.size() > 0) {
      out.add(emitted);
    }
  }

  private record Timer(long time, byte[] key) {}

  private TimerValues timerValues() {
    long now = processingTime;
    long mark = watermark;
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
      if (key[0] != TIMERS || overlay.containsKey(ByteBuffer.wrap(key))) {
        return;
      }
      boolean fires = false;
      for (long t : timers(value)) {
        if (t <= threshold) {
          due.add(new Timer(t, Arrays.copyOfRange(key, 3, key.length)));
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
      if (key[0] == TIMERS || overlay.containsKey(ByteBuffer.wrap(key))) {
        return;
      }
      long due = ByteBuffer.wrap(value).getLong();
      if (due != NEVER && due <= processingTime) {
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
          List<Element> all = elements(kv[1]);
          List<Element> live = live(all);
          removedRows += all.size() - live.size();
          after = live.isEmpty() ? TOMBSTONE : encodeElements(live);
        }
        case MAP -> {
          List<Element> all = entries(kv[1]);
          List<Element> live = live(all);
          removedRows += all.size() - live.size();
          after = live.isEmpty() ? TOMBSTONE : encodeEntries(live);
        }
        default -> {
          removedRows++;
          after = TOMBSTONE;
        }
      }
      overlay.put(ByteBuffer.wrap(key), after);
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
        if (key[0] != TIMERS && deleted.contains(nameOf(key))) {
          overlay.put(ByteBuffer.wrap(key), TOMBSTONE);
        }
      });
    }
  }

  private static String nameOf(byte[] key) {
    int length = ((key[1] & 0xff) << 8) | (key[2] & 0xff);
    return new String(key, 3, length, StandardCharsets.UTF_8);
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
    for (Map.Entry<ByteBuffer, byte[]> e : overlay.entrySet()) {
      byte[] key = e.getKey().array();
      int p = partitionOf(key);
      byte[] old = store.partition(p).get(key);
      byte[] after = e.getValue() == TOMBSTONE ? null : e.getValue();
      if (after != null) {
        long due = ByteBuffer.wrap(after).getLong();
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

  private int partitionOf(byte[] key) {
    return store.partitionOf(KeyWriter.hash(key, 0, key.length));
  }

  @Override
  public void afterCommit(long committed) {
    System.arraycopy(nextEarliestTimer, 0, earliestTimer, 0, earliestTimer.length);
    System.arraycopy(nextEarliestExpiry, 0, earliestExpiry, 0, earliestExpiry.length);
    deletionsCommitted = true;
    store.afterCommit(committed, retain, workers);
  }

  /**
   * In processing-time mode, when some timer is due (or not yet known, before the first batch);
   * in event-time mode, when the watermark moved, as Spark.
   */
  @Override
  public boolean needsBatchWithoutData(boolean watermarkMoved, long now) {
    switch (plan.timeMode()) {
      case PROCESSING_TIME:
        return Arrays.stream(earliestTimer).anyMatch(t -> t <= now);
      case EVENT_TIME:
        return watermarkMoved;
      default:
        return false;
    }
  }

  @Override
  public StateOperatorProgress progress(int statePartitions) {
    return new StateOperatorProgress("transformWithState", store.size(), updatedRows,
        removedRows, store.offHeapBytes(), rowsByKey.late(), statePartitions);
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
      store.close();
    }
  }

  // ---- entries ----

  private byte @Nullable [] read(byte[] key) {
    byte[] v = overlay.get(ByteBuffer.wrap(key));
    if (v != null) {
      return v == TOMBSTONE ? null : v;
    }
    return store.partition(partitionOf(key)).get(key);
  }

  private void write(byte[] key, byte @Nullable [] value) {
    overlay.put(ByteBuffer.wrap(key), value == null ? TOMBSTONE : value);
  }

  private static byte[] entryKey(byte kind, String name, byte[] groupKey) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(3 + n.length + groupKey.length);
    b.put(kind).putShort((short) n.length).put(n).put(groupKey);
    return b.array();
  }

  private boolean expired(long expiry) {
    return expiry != NEVER && processingTime >= expiry;
  }

  /** A list element or map entry with its expiry; {@code key} is null in a list. */
  private record Element(long expiry, byte @Nullable [] key, byte[] value) {}

  private List<Element> live(List<Element> all) {
    List<Element> live = new ArrayList<>();
    for (Element e : all) {
      if (!expired(e.expiry)) {
        live.add(e);
      }
    }
    return live;
  }

  private static List<Element> elements(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry, 8, entry.length - 8);
    int n = in.getInt();
    List<Element> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long expiry = in.getLong();
      byte[] v = new byte[in.getInt()];
      in.get(v);
      out.add(new Element(expiry, null, v));
    }
    return out;
  }

  private static byte[] encodeElements(List<Element> elements) {
    int size = 12;
    long due = NEVER;
    for (Element e : elements) {
      size += 12 + e.value.length;
      due = Math.min(due, e.expiry);
    }
    ByteBuffer b = ByteBuffer.allocate(size).putLong(due).putInt(elements.size());
    for (Element e : elements) {
      b.putLong(e.expiry).putInt(e.value.length).put(e.value);
    }
    return b.array();
  }

  private static List<Element> entries(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry, 8, entry.length - 8);
    int n = in.getInt();
    List<Element> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long expiry = in.getLong();
      byte[] k = new byte[in.getInt()];
      in.get(k);
      byte[] v = new byte[in.getInt()];
      in.get(v);
      out.add(new Element(expiry, k, v));
    }
    return out;
  }

  private static byte[] encodeEntries(List<Element> entries) {
    int size = 12;
    long due = NEVER;
    for (Element e : entries) {
      size += 16 + e.key.length + e.value.length;
      due = Math.min(due, e.expiry);
    }
    ByteBuffer b = ByteBuffer.allocate(size).putLong(due).putInt(entries.size());
    for (Element e : entries) {
      b.putLong(e.expiry).putInt(e.key.length).put(e.key).putInt(e.value.length).put(e.value);
    }
    return b.array();
  }

  private static long[] timers(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry, 8, entry.length - 8);
    long[] out = new long[in.getInt()];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getLong();
    }
    return out;
  }

  private static byte @Nullable [] encodeTimers(long[] timers) {
    if (timers.length == 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(12 + 8 * timers.length).putLong(timers[0])
        .putInt(timers.length);
    for (long t : timers) {
      b.putLong(t);
    }
    return b.array();
  }

  private long[] timersOf(byte[] groupKey) {
    byte[] entry = read(entryKey(TIMERS, "", groupKey));
    return entry == null ? new long[0] : timers(entry);
  }

  private void deleteTimerOf(byte[] groupKey, long time) {
    long[] now = timersOf(groupKey);
    int at = Arrays.binarySearch(now, time);
    if (at < 0) {
      return;
    }
    long[] after = new long[now.length - 1];
    System.arraycopy(now, 0, after, 0, at);
    System.arraycopy(now, at + 1, after, at, after.length - at);
    write(entryKey(TIMERS, "", groupKey), encodeTimers(after));
  }

  // ---- the handle and state variables ----

  private SluiceException invalidHandleState(String operation) {
    return new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
        "[STATEFUL_PROCESSOR_CANNOT_PERFORM_OPERATION_WITH_INVALID_HANDLE_STATE] Failed to"
            + " perform stateful processor operation=" + operation + " with invalid handle state="
            + handleState + ".");
  }

  private byte[] keyFor(String operation) {
    byte[] key = currentKey;
    if (key == null) {
      throw invalidHandleState(operation);
    }
    return key;
  }

  private void checkTimeMode(String operation) {
    if (plan.timeMode() == TimeMode.NONE) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "[STATEFUL_PROCESSOR_CANNOT_PERFORM_OPERATION_WITH_INVALID_TIME_MODE] Failed to perform"
              + " stateful processor operation=" + operation + " with invalid timeMode=NONE.");
    }
  }

  private static SluiceException nullValue(String name) {
    return new SluiceException(ErrorKind.EXECUTION, "[ILLEGAL_STATE_STORE_VALUE.NULL_VALUE]"
        + " Illegal value provided to the State Store: cannot write null values to state"
        + " variable " + name + ".");
  }

  private static SluiceException emptyList(String name) {
    return new SluiceException(ErrorKind.EXECUTION, "[ILLEGAL_STATE_STORE_VALUE.EMPTY_LIST_VALUE]"
        + " Illegal value provided to the State Store: cannot write empty list values to state"
        + " variable " + name + ".");
  }

  /** Encodes values of a state variable: scalars as grouping keys are, records by layout. */
  private interface Codec {
    byte[] encode(Object value);

    Object decode(byte[] bytes);
  }

  private Codec codec(Class<?> type, String variable) {
    if (GroupKeys.scalar(type)) {
      GroupKeys scalar = new GroupKeys(type, "state variable '" + variable + "' was given");
      return new Codec() {
        @Override
        public byte[] encode(Object value) {
          return scalar.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
          return scalar.decode(bytes);
        }
      };
    }
    String file = "transform." + variable.replaceAll("[^A-Za-z0-9_-]", "_");
    StateCodec<Object> records = StateTypes.stateCodec(type, stateDirectory, file,
        "state variable '" + variable + "' of transformWithState");
    return new Codec() {
      @Override
      public byte[] encode(Object value) {
        if (!type.isInstance(value)) {
          throw new SluiceException(ErrorKind.TYPE_MISMATCH, "state variable '" + variable
              + "' holds " + type.getName() + ", not " + value.getClass().getName());
        }
        return records.encode(value);
      }

      @Override
      public Object decode(byte[] bytes) {
        return records.decode(bytes);
      }
    };
  }

  /** A primitive class (Kotlin's {@code Long::class.java}) as its box. */
  @SuppressWarnings("unchecked")
  private static <T> Class<T> boxed(Class<T> type) {
    // The same wrapping groupByKey applies to a key class.
    return (Class<T>) java.lang.invoke.MethodType.methodType(type).wrap().returnType();
  }

  private abstract class Variable {
    final String name;
    final long ttlMs;

    Variable(String name, TTLConfig ttl) {
      this.name = name;
      this.ttlMs = ttl.ttlDuration().toMillis();
    }

    long newExpiry() {
      return ttlMs > 0 ? processingTime + ttlMs : NEVER;
    }
  }

  private final class ValueVariable<S> extends Variable implements ValueState<S> {
    private final Class<S> type;
    private final Codec codec;

    ValueVariable(String name, Class<S> type, TTLConfig ttl) {
      super(name, ttl);
      this.type = boxed(type);
      this.codec = codec(this.type, name);
    }

    private byte[] key(String operation) {
      return entryKey(VALUE, name, keyFor(operation));
    }

    private byte @Nullable [] live(String operation) {
      byte[] entry = read(key(operation));
      if (entry == null || expired(ByteBuffer.wrap(entry).getLong())) {
        return null;
      }
      return entry;
    }

    @Override
    public boolean exists() {
      return live("valueState.exists") != null;
    }

    @Override
    public @Nullable S get() {
      byte[] entry = live("valueState.get");
      return entry == null ? null
          : type.cast(codec.decode(Arrays.copyOfRange(entry, 8, entry.length)));
    }

    @Override
    public void update(S value) {
      byte[] key = key("valueState.update");
      if (value == null) {
        throw nullValue(name);
      }
      byte[] bytes = codec.encode(value);
      write(key, ByteBuffer.allocate(8 + bytes.length).putLong(newExpiry()).put(bytes).array());
    }

    @Override
    public void clear() {
      write(key("valueState.clear"), null);
    }
  }

  private final class ListVariable<S> extends Variable implements ListState<S> {
    private final Class<S> type;
    private final Codec codec;

    ListVariable(String name, Class<S> type, TTLConfig ttl) {
      super(name, ttl);
      this.type = boxed(type);
      this.codec = codec(this.type, name);
    }

    private byte[] key(String operation) {
      return entryKey(LIST, name, keyFor(operation));
    }

    private List<Element> current(byte[] key) {
      byte[] entry = read(key);
      return entry == null ? new ArrayList<>() : live(elements(entry));
    }

    @Override
    public boolean exists() {
      return !current(key("listState.exists")).isEmpty();
    }

    @Override
    public Iterator<S> get() {
      List<S> out = new ArrayList<>();
      for (Element e : current(key("listState.get"))) {
        out.add(type.cast(codec.decode(e.value)));
      }
      return out.iterator();
    }

    private List<Element> encode(List<S> values) {
      if (values == null || values.isEmpty()) {
        throw emptyList(name);
      }
      long expiry = newExpiry();
      List<Element> out = new ArrayList<>();
      for (S v : values) {
        if (v == null) {
          throw nullValue(name);
        }
        out.add(new Element(expiry, null, codec.encode(v)));
      }
      return out;
    }

    @Override
    public void put(List<S> values) {
      byte[] key = key("listState.put");
      write(key, encodeElements(encode(values)));
    }

    @Override
    public void appendValue(S value) {
      byte[] key = key("listState.appendValue");
      if (value == null) {
        throw nullValue(name);
      }
      List<Element> all = current(key);
      all.addAll(encode(List.of(value)));
      write(key, encodeElements(all));
    }

    @Override
    public void appendList(List<S> values) {
      byte[] key = key("listState.appendList");
      List<Element> added = encode(values);
      List<Element> all = current(key);
      all.addAll(added);
      write(key, encodeElements(all));
    }

    @Override
    public void clear() {
      write(key("listState.clear"), null);
    }
  }

  private final class MapVariable<K, V> extends Variable implements MapState<K, V> {
    private final Class<K> keyType;
    private final Class<V> valueType;
    private final GroupKeys userKeys;
    private final Codec codec;

    MapVariable(String name, Class<K> keyType, Class<V> valueType, TTLConfig ttl) {
      super(name, ttl);
      this.keyType = boxed(keyType);
      this.valueType = boxed(valueType);
      this.userKeys = new GroupKeys(this.keyType, "a key of map state variable '" + name
          + "' is");
      this.codec = codec(this.valueType, name);
    }

    private byte[] key(String operation) {
      return entryKey(MAP, name, keyFor(operation));
    }

    private List<Element> current(byte[] key) {
      byte[] entry = read(key);
      return entry == null ? new ArrayList<>() : live(entries(entry));
    }

    private int indexOf(List<Element> entries, byte[] userKey) {
      for (int i = 0; i < entries.size(); i++) {
        if (Arrays.equals(entries.get(i).key, userKey)) {
          return i;
        }
      }
      return -1;
    }

    private byte[] userKey(K key) {
      if (key == null) {
        throw new SluiceException(ErrorKind.EXECUTION, "[ILLEGAL_STATE_STORE_VALUE.NULL_VALUE]"
            + " Illegal value provided to the State Store: cannot use a null user key in map"
            + " state variable " + name + ".");
      }
      return userKeys.encode(key);
    }

    @Override
    public boolean exists() {
      return !current(key("mapState.exists")).isEmpty();
    }

    @Override
    public @Nullable V getValue(K key) {
      List<Element> all = current(key("mapState.getValue"));
      int at = indexOf(all, userKey(key));
      return at < 0 ? null : valueType.cast(codec.decode(all.get(at).value));
    }

    @Override
    public boolean containsKey(K key) {
      return indexOf(current(key("mapState.containsKey")), userKey(key)) >= 0;
    }

    @Override
    public void updateValue(K key, V value) {
      byte[] entryKey = key("mapState.updateValue");
      byte[] k = userKey(key);
      if (value == null) {
        throw nullValue(name);
      }
      List<Element> all = current(entryKey);
      Element e = new Element(newExpiry(), k, codec.encode(value));
      int at = indexOf(all, k);
      if (at < 0) {
        all.add(e);
      } else {
        all.set(at, e);
      }
      write(entryKey, encodeEntries(all));
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
      List<Map.Entry<K, V>> out = new ArrayList<>();
      for (Element e : current(key("mapState.iterator"))) {
        out.add(new AbstractMap.SimpleImmutableEntry<>(keyType.cast(userKeys.decode(e.key)),
            valueType.cast(codec.decode(e.value))));
      }
      return out.iterator();
    }

    @Override
    public Iterator<K> keys() {
      List<K> out = new ArrayList<>();
      for (Element e : current(key("mapState.keys"))) {
        out.add(keyType.cast(userKeys.decode(e.key)));
      }
      return out.iterator();
    }

    @Override
    public Iterator<V> values() {
      List<V> out = new ArrayList<>();
      for (Element e : current(key("mapState.values"))) {
        out.add(valueType.cast(codec.decode(e.value)));
      }
      return out.iterator();
    }

    @Override
    public void removeKey(K key) {
      byte[] entryKey = key("mapState.removeKey");
      List<Element> all = current(entryKey);
      int at = indexOf(all, userKey(key));
      if (at >= 0) {
        all.remove(at);
        write(entryKey, all.isEmpty() ? null : encodeEntries(all));
      }
    }

    @Override
    public void clear() {
      write(key("mapState.clear"), null);
    }
  }

  private final class Handle implements StatefulProcessorHandle {
    private void declare(String name, String operation) {
      if (!handleState.equals("CREATED")) {
        throw invalidHandleState(operation);
      }
      if (name == null || name.isEmpty()) {
        throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "a state variable needs a name");
      }
      if (variables.containsKey(name)) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
            "[STATEFUL_PROCESSOR_DUPLICATE_STATE_VARIABLE_DEFINED] State variable with name "
                + name + " has already been defined in the StatefulProcessor.");
      }
    }

    @Override
    public <S> ValueState<S> getValueState(String name, Class<S> type, TTLConfig ttl) {
      declare(name, "get_value_state");
      ValueVariable<S> v = new ValueVariable<>(name, type, ttl);
      variables.put(name, v);
      return v;
    }

    @Override
    public <S> ListState<S> getListState(String name, Class<S> type, TTLConfig ttl) {
      declare(name, "get_list_state");
      ListVariable<S> v = new ListVariable<>(name, type, ttl);
      variables.put(name, v);
      return v;
    }

    @Override
    public <K, V> MapState<K, V> getMapState(String name, Class<K> keyType,
        Class<V> valueType, TTLConfig ttl) {
      declare(name, "get_map_state");
      MapVariable<K, V> v = new MapVariable<>(name, keyType, valueType, ttl);
      variables.put(name, v);
      return v;
    }

    @Override
    public void registerTimer(long expiryTimestampMs) {
      checkTimeMode("register_timer");
      byte[] key = keyFor("register_timer");
      long[] now = timersOf(key);
      int at = Arrays.binarySearch(now, expiryTimestampMs);
      if (at >= 0) {
        return;
      }
      int insert = -at - 1;
      long[] after = new long[now.length + 1];
      System.arraycopy(now, 0, after, 0, insert);
      after[insert] = expiryTimestampMs;
      System.arraycopy(now, insert, after, insert + 1, now.length - insert);
      write(entryKey(TIMERS, "", key), encodeTimers(after));
    }

    @Override
    public void deleteTimer(long expiryTimestampMs) {
      checkTimeMode("delete_timer");
      deleteTimerOf(keyFor("delete_timer"), expiryTimestampMs);
    }

    @Override
    public Iterator<Long> listTimers() {
      checkTimeMode("list_timers");
      return Arrays.stream(timersOf(keyFor("list_timers"))).boxed().iterator();
    }

    @Override
    public void deleteIfExists(String name) {
      if (!handleState.equals("CREATED")) {
        throw invalidHandleState("delete_if_exists");
      }
      deleted.add(name);
    }
  }
}
