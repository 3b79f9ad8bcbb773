package io.sluice.internal.exec;

import io.sluice.api.OutputMode;
import io.sluice.api.SluiceException;
import io.sluice.api.ErrorKind;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.PartialAggregation;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.state.PartitionTasks;
import io.sluice.internal.state.StatePartition;
import io.sluice.internal.state.StateStore;
import io.sluice.internal.state.StateStoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The stateful half of an aggregation: after the generated stage has filled the batch-local
 * partial table, merges it into the state store, one task per state partition in parallel, and
 * emits the rows the output mode asks for.
 */
final class StatefulAggregation implements AutoCloseable {
  private static final byte[] PRESENT = new byte[0];

  private final AggregationPlan plan;
  private final StateStore store;
  private final @Nullable StateStore distinctStore;
  private final ExecutorService workers;
  private final int retain;
  final PartialAggregation groups;
  final PartialAggregation distinct;
  private long lastUpdatedKeys;
  private long lastRemovedKeys;
  private long lateGroups;
  /**
   * Per partition, no committed group has an earlier event time; MIN_VALUE when unknown. The
   * batch in progress writes {@link #nextEarliestEventTime}, taken over at commit, so that a
   * batch run again after a failure still scans for the groups its first attempt evicted.
   */
  private final long[] earliestEventTime;
  private final long[] nextEarliestEventTime;
  private final long[] removedKeys;

  /**
   * Prepares the aggregation's state: empty without a checkpoint ({@code stateDirectory} null),
   * else the state in {@code stateDirectory} at version {@code committedVersion}.
   */
  StatefulAggregation(String operator, AggregationPlan plan, StateStoreConfig config,
      ExecutorService workers, @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = workers;
    this.retain = config.minBatchesToRetain();
    int keyBytes = 8 + 9 * Math.max(1, plan.groupings().size());
    int valueBytes = Math.max(8, plan.longWidth() * 8 + plan.refWidth() * 24);
    if (stateDirectory != null) {
      AggregateLayout.of(plan).write(stateDirectory);
    }
    this.store = stateDirectory == null ? new StateStore(operator, config, keyBytes, valueBytes)
        : StateStore.open(operator, stateDirectory.resolve("aggregate"), config, keyBytes,
            valueBytes, committedVersion, workers);
    try {
      this.distinctStore = !plan.hasDistinct() ? null
          : stateDirectory == null
              ? new StateStore(operator + "-distinct", config, keyBytes + 16, 1)
              : StateStore.open(operator + "-distinct", stateDirectory.resolve("distinct"), config,
                  keyBytes + 16, 1, committedVersion, workers);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.earliestEventTime = new long[config.partitions()];
    java.util.Arrays.fill(earliestEventTime, Long.MIN_VALUE);
    this.nextEarliestEventTime = earliestEventTime.clone();
    this.removedKeys = new long[config.partitions()];
    this.groups = new PartialAggregation(plan.longWidth(), plan.refWidth());
    this.distinct = new PartialAggregation(1, 0);
  }

  /**
   * Forgets any partial aggregates a failed attempt left behind, so that a batch re-run over the
   * same offsets starts from the state alone.
   */
  void beginBatch() {
    groups.clear();
    distinct.clear();
    store.beginBatch();
    if (distinctStore != null) {
      distinctStore.beginBatch();
    }
  }

  /**
   * Merges this batch's partial aggregates into state as version {@code version}; returns the
   * rows to emit, raw schema.
   */
  List<ColumnBatch> mergeAndEmit(OutputMode mode, long version, BatchEventTime time) {
    int partitions = store.partitionCount();
    // As in Spark: complete mode keeps every group and takes late rows too; the others drop late
    // groups and evict the groups the watermark closed.
    boolean watermarked = plan.hasEventTimeKey() && mode != OutputMode.COMPLETE;
    // Sessions drop late rows in every mode, complete too, as Spark's session operators do.
    boolean dropsLate = watermarked || (plan.hasEventTimeKey() && plan.hasSessionWindow());
    boolean[] late = dropsLate ? lateGroups(time) : null;
    long evictAt = watermarked ? time.watermark : Long.MIN_VALUE;
    List<List<Integer>> slotsByPartition = bucket(groups, partitions, null, late);
    List<List<Integer>> distinctByPartition = bucket(distinct, partitions, groups, late);
    List<Callable<ColumnBatch>> tasks = new ArrayList<>();
    boolean[] busy = new boolean[partitions];
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      busy[p] = !slotsByPartition.get(p).isEmpty() || !distinctByPartition.get(p).isEmpty()
          || evictAt != Long.MIN_VALUE
              && (distinctStore != null || earliestEventTime[p] <= evictAt);
      tasks.add(() -> plan.hasSessionWindow()
          ? mergeSessions(partition, slotsByPartition.get(partition), mode, version, evictAt)
          : mergePartition(partition, slotsByPartition.get(partition),
              distinctByPartition.get(partition), mode, version, evictAt));
    }
    List<ColumnBatch> emitted = PartitionTasks.run(tasks, busy, workers, ErrorKind.EXECUTION,
        "state merge");
    lastUpdatedKeys = slotsByPartition.stream().mapToLong(List::size).sum();
    lastRemovedKeys = 0;
    for (long removed : removedKeys) {
      lastRemovedKeys += removed;
    }
    groups.clear();
    distinct.clear();
    return mode == OutputMode.COMPLETE ? emitAll() : emitted;
  }

  /**
   * After version {@code committed} is committed: hands the snapshots that are due to each store's
   * maintenance thread and cleans each partition's files, then marks the batch done.
   */
  void afterCommit(long committed) {
    System.arraycopy(nextEarliestEventTime, 0, earliestEventTime, 0, earliestEventTime.length);
    store.afterCommit(committed, retain);
    if (distinctStore != null) {
      distinctStore.afterCommit(committed, retain);
    }
  }

  /** Time spent making versions since the last call, both stores, summed over partitions. */
  long takeCommitNanos() {
    return store.takeCommitNanos() + (distinctStore == null ? 0 : distinctStore.takeCommitNanos());
  }

  long rowsTotal() {
    return store.size();
  }

  long rowsUpdated() {
    return lastUpdatedKeys;
  }

  /** Groups of the last batch dropped because the watermark had passed them. */
  long rowsDroppedByWatermark() {
    return lateGroups;
  }

  long rowsRemoved() {
    return lastRemovedKeys;
  }

  long memoryUsedBytes() {
    return store.offHeapBytes() + (distinctStore == null ? 0 : distinctStore.offHeapBytes());
  }

  /**
   * The groups of this batch whose event time the previous batch's watermark has passed, counted
   * as dropped: one per group, as Spark counts them after its partial aggregation.
   */
  private boolean[] lateGroups(BatchEventTime time) {
    boolean[] late = new boolean[groups.size()];
    lateGroups = 0;
    KeyReader keys = new KeyReader();
    for (int slot = 0; slot < groups.size(); slot++) {
      if (eventTime(groups.key(slot), keys) <= time.lateWatermark) {
        late[slot] = true;
        lateGroups++;
      }
    }
    return late;
  }

  /** Slots by state partition, leaving out late groups and their distinct values. */
  private List<List<Integer>> bucket(PartialAggregation table, int partitions,
      PartialAggregation owners, boolean @Nullable [] late) {
    List<List<Integer>> buckets = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      buckets.add(new ArrayList<>());
    }
    for (int s = 0; s < table.size(); s++) {
      int group = owners == null ? s : (int) table.longs[s];
      if (late != null && late[group]) {
        continue;
      }
      int hash = owners != null ? owners.hash(group)
          : plan.hasSessionWindow() ? sessionKeyHash(table.key(s)) : table.hash(s);
      buckets.get(store.partitionOf(hash)).add(s);
    }
    return buckets;
  }

  /**
   * Merges one partition's share of the batch and, when {@code evictAt} is a watermark, removes
   * the groups it has passed; returns the updated groups (update mode) or the removed ones
   * (append mode). All of the partition's changes go to the state as one version.
   */
  private ColumnBatch mergePartition(int p, List<Integer> slots, List<Integer> distinctSlots,
      OutputMode mode, long version, long evictAt) {
    StateChanges newDistinct = countNewDistinctValues(p, distinctSlots);
    StatePartition partition = store.partition(p);
    AggregateBuffer buffer = new AggregateBuffer(plan);
    ColumnBatch out = new ColumnBatch(plan.rawSchema(), mode == OutputMode.APPEND ? 16
        : slots.size());
    KeyReader keys = new KeyReader();
    GroupRows rows = new GroupRows(plan);
    StateChanges changes = new StateChanges();
    boolean evicting = evictAt != Long.MIN_VALUE;
    Set<ByteBuffer> merged = evicting ? new HashSet<>() : Set.of();
    long earliest = earliestEventTime[p];
    for (int slot : slots) {
      byte[] key = groups.key(slot);
      byte[] old = partition.get(key);
      buffer.clear();
      if (old != null) {
        buffer.decode(old);
      }
      buffer.merge(groups, slot);
      long eventTime = plan.hasEventTimeKey() ? eventTime(key, keys) : Long.MAX_VALUE;
      boolean closed = evicting && eventTime <= evictAt;
      if (closed) {
        changes.add(key, old, null);
      } else {
        changes.add(key, old, buffer.encode());
        earliest = Math.min(earliest, eventTime);
      }
      if (evicting) {
        merged.add(ByteBuffer.wrap(key));
      }
      // Update mode emits every group the batch changed, even one it closes; append mode only
      // the closed ones, each exactly once.
      if (mode == OutputMode.UPDATE || (mode == OutputMode.APPEND && closed)) {
        rows.emit(key, buffer, out);
      }
    }
    if (evicting && earliest <= evictAt) {
      earliest = evict(partition, merged, evictAt, mode == OutputMode.APPEND, changes, out);
    }
    removedKeys[p] = removals(changes);
    nextEarliestEventTime[p] = earliest;
    if (distinctStore != null) {
      if (evicting) {
        evictDistinct(distinctStore.partition(p), evictAt, newDistinct);
      }
      distinctStore.partition(p).apply(version, newDistinct);
    }
    partition.apply(version, changes);
    return out;
  }

  /**
   * Removes the groups the watermark has passed that this batch did not touch, emitting them in
   * append mode; returns the earliest event time left, so that later batches skip the scan until
   * the watermark reaches it.
   */
  private long evict(StatePartition partition, Set<ByteBuffer> merged, long evictAt,
      boolean emitRemoved, StateChanges changes, ColumnBatch out) {
    long[] earliest = {Long.MAX_VALUE};
    KeyReader keys = new KeyReader();
    GroupRows rows = new GroupRows(plan);
    partition.forEach((key, value) -> {
      long eventTime = eventTime(key, keys);
      if (merged.contains(ByteBuffer.wrap(key))) {
        return;
      }
      if (eventTime > evictAt) {
        earliest[0] = Math.min(earliest[0], eventTime);
        return;
      }
      changes.add(key, value, null);
      if (emitRemoved) {
        rows.emitEntry(key, value, out);
      }
    });
    for (int i = 0; i < changes.size(); i++) {
      // Groups this batch merged and kept also bound what is left.
      byte[] after = changes.after(i);
      if (after != null) {
        earliest[0] = Math.min(earliest[0], eventTime(changes.key(i), keys));
      }
    }
    return earliest[0];
  }

  private static long removals(StateChanges changes) {
    long removed = 0;
    for (int i = 0; i < changes.size(); i++) {
      if (changes.after(i) == null) {
        removed++;
      }
    }
    return removed;
  }

  /** Drops the distinct values of groups the watermark has passed. */
  private void evictDistinct(StatePartition partition, long evictAt, StateChanges changes) {
    KeyReader keys = new KeyReader();
    partition.forEach((entry, value) -> {
      if (eventTime(entry, keys, 4) <= evictAt) {
        changes.add(entry, value, null);
      }
    });
  }

  /** The event time of a group key: its event-time column, or the end of its window. */
  private long eventTime(byte[] key, KeyReader keys) {
    return eventTime(key, keys, 0);
  }

  private long eventTime(byte[] key, KeyReader keys, int offset) {
    keys.reset(key, offset);
    for (int k = 0; k < plan.eventTimeKey(); k++) {
      keys.skip(plan.groupings().get(k).type());
    }
    return keys.readEventTime(plan.groupings().get(plan.eventTimeKey()).type());
  }

  /**
   * Merges one partition's share of a session-window aggregation: per key, the stored sessions
   * and the batch's new ones merge where they touch; in append mode the sessions the watermark
   * has passed are emitted and removed.
   */
  private ColumnBatch mergeSessions(int p, List<Integer> slots, OutputMode mode, long version,
      long evictAt) {
    StatePartition partition = store.partition(p);
    Map<ByteBuffer, List<Sessions.Session>> incoming = new LinkedHashMap<>();
    KeyReader keys = new KeyReader();
    for (int slot : slots) {
      byte[] key = groups.key(slot);
      int at = Sessions.windowOffset(plan, key, keys);
      AggregateBuffer buffer = new AggregateBuffer(plan);
      buffer.merge(groups, slot);
      incoming.computeIfAbsent(ByteBuffer.wrap(Sessions.withoutWindow(key, at)),
          k -> new ArrayList<>())
          .add(new Sessions.Session(readLong(key, at + 1), readLong(key, at + 9), buffer));
    }
    ColumnBatch out = new ColumnBatch(plan.rawSchema(), 16);
    StateChanges changes = new StateChanges();
    boolean evicting = evictAt != Long.MIN_VALUE;
    long[] earliest = {earliestEventTime[p]};
    for (Map.Entry<ByteBuffer, List<Sessions.Session>> e : incoming.entrySet()) {
      byte[] stateKey = e.getKey().array();
      byte[] old = partition.get(stateKey);
      List<Sessions.Session> all = old == null ? new ArrayList<>()
          : Sessions.decode(old, plan);
      all.addAll(e.getValue());
      closeSessions(stateKey, old, Sessions.merge(all), evictAt, mode, changes, out, earliest,
          true);
    }
    if (evicting && earliest[0] <= evictAt) {
      earliest[0] = Long.MAX_VALUE;
      partition.forEach((stateKey, value) -> {
        if (!incoming.containsKey(ByteBuffer.wrap(stateKey))) {
          closeSessions(stateKey, value, Sessions.decode(value, plan), evictAt, mode, changes,
              out, earliest, false);
        }
      });
      for (List<Sessions.Session> merged : incoming.values()) {
        for (Sessions.Session session : merged) {
          earliest[0] = Math.min(earliest[0], session.end);
        }
      }
    }
    nextEarliestEventTime[p] = earliest[0];
    removedKeys[p] = removals(changes);
    partition.apply(version, changes);
    return out;
  }

  /**
   * Records a key's new sessions, removing (and in append mode emitting) those the watermark
   * closed; {@code changed} says whether the key's state changes even when nothing closes.
   */
  private void closeSessions(byte[] stateKey, byte @Nullable [] old,
      List<Sessions.Session> sessions, long evictAt, OutputMode mode, StateChanges changes,
      ColumnBatch out, long[] earliest, boolean changed) {
    List<Sessions.Session> open = new ArrayList<>();
    KeyReader keys = new KeyReader();
    GroupRows rows = new GroupRows(plan);
    for (Sessions.Session session : sessions) {
      if (session.end <= evictAt) {
        if (mode == OutputMode.APPEND) {
          rows.emit(Sessions.withWindow(plan, stateKey, session.start, session.end, keys),
              session.buffer, out);
        }
      } else {
        open.add(session);
        earliest[0] = Math.min(earliest[0], session.end);
      }
    }
    if (changed || open.size() != sessions.size()) {
      changes.add(stateKey, old, open.isEmpty() ? null : Sessions.encode(open));
    }
  }

  private int sessionKeyHash(byte[] key) {
    byte[] stateKey = Sessions.withoutWindow(key, Sessions.windowOffset(plan, key,
        new KeyReader()));
    return KeyWriter.hash(stateKey, 0, stateKey.length);
  }

  private static long readLong(byte[] bytes, int at) {
    return ByteBuffer.wrap(bytes, at, 8).getLong();
  }

  /** The distinct values this batch sees first, counted into their groups' partial counts. */
  private StateChanges countNewDistinctValues(int p, List<Integer> distinctSlots) {
    StateChanges changes = new StateChanges();
    if (distinctStore == null) {
      return changes;
    }
    StatePartition partition = distinctStore.partition(p);
    for (int d : distinctSlots) {
      byte[] entry = distinct.key(d);
      if (partition.get(entry) == null) {
        changes.add(entry, null, PRESENT);
        int groupSlot = (int) distinct.longs[d];
        AggregateBuffer.addToPartialCount(groups, groupSlot, slotOf(entry), 1);
      }
    }
    return changes;
  }

  /** The aggregate a distinct entry belongs to: the byte after the length-prefixed group key. */
  private AggregateSlot slotOf(byte[] entry) {
    int keyLength = ((entry[0] & 0xff) << 24) | ((entry[1] & 0xff) << 16)
        | ((entry[2] & 0xff) << 8) | (entry[3] & 0xff);
    return plan.aggregates().get(entry[4 + keyLength] & 0xff);
  }

  private List<ColumnBatch> emitAll() {
    if (plan.groupings().isEmpty() && store.size() == 0) {
      // A global aggregate over no rows is one row of empty aggregates, as in SQL.
      ColumnBatch out = new ColumnBatch(plan.rawSchema(), 1);
      new GroupRows(plan).emit(new byte[0], new AggregateBuffer(plan), out);
      return List.of(out);
    }
    List<Future<ColumnBatch>> tasks = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      StatePartition partition = store.partition(p);
      tasks.add(workers.submit(() -> {
        ColumnBatch out = new ColumnBatch(plan.rawSchema(), (int) Math.min(partition.size(), 1 << 16));
        GroupRows rows = new GroupRows(plan);
        partition.forEach((key, value) -> rows.emitEntry(key, value, out));
        return out;
      }));
    }
    return PartitionTasks.awaitAll(tasks, ErrorKind.EXECUTION, "state merge");
  }

  @Override
  public void close() {
    store.close();
    if (distinctStore != null) {
      distinctStore.close();
    }
  }
}
