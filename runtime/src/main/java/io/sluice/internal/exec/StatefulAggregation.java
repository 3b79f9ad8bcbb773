package io.sluice.internal.exec;

import io.sluice.api.OutputMode;
import io.sluice.api.SluiceException;
import io.sluice.api.ErrorKind;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.batch.PartialAggregation;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.state.PartitionTasks;
import io.sluice.internal.state.StatePartition;
import io.sluice.internal.state.StateStore;
import io.sluice.internal.state.StateStoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  List<ColumnBatch> mergeAndEmit(OutputMode mode, long version) {
    int partitions = store.partitionCount();
    List<List<Integer>> slotsByPartition = bucket(groups, partitions, null);
    List<List<Integer>> distinctByPartition = bucket(distinct, partitions, groups);
    List<Future<ColumnBatch>> tasks = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      tasks.add(workers.submit(() -> mergePartition(partition, slotsByPartition.get(partition),
          distinctByPartition.get(partition), mode == OutputMode.UPDATE, version)));
    }
    List<ColumnBatch> updated = PartitionTasks.awaitAll(tasks, ErrorKind.EXECUTION, "state merge");
    lastUpdatedKeys = groups.size();
    groups.clear();
    distinct.clear();
    return mode == OutputMode.COMPLETE ? emitAll() : updated;
  }

  /**
   * After version {@code committed} is committed: snapshots and cleans each partition's files in
   * parallel, then marks the state idle.
   */
  void afterCommit(long committed) {
    List<Future<Void>> tasks = new ArrayList<>();
    for (StateStore s : distinctStore == null ? List.of(store) : List.of(store, distinctStore)) {
      for (int p = 0; p < s.partitionCount(); p++) {
        StatePartition partition = s.partition(p);
        tasks.add(workers.submit(() -> {
          partition.maintain(committed, retain);
          return null;
        }));
      }
    }
    PartitionTasks.awaitAll(tasks, ErrorKind.EXECUTION, "state merge");
    store.endBatch();
    if (distinctStore != null) {
      distinctStore.endBatch();
    }
  }

  long rowsTotal() {
    return store.size();
  }

  long rowsUpdated() {
    return lastUpdatedKeys;
  }

  long memoryUsedBytes() {
    return store.offHeapBytes() + (distinctStore == null ? 0 : distinctStore.offHeapBytes());
  }

  private List<List<Integer>> bucket(PartialAggregation table, int partitions,
      PartialAggregation owners) {
    List<List<Integer>> buckets = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      buckets.add(new ArrayList<>());
    }
    for (int s = 0; s < table.size(); s++) {
      int hash = owners == null ? table.hash(s) : owners.hash((int) table.longs[s]);
      buckets.get(store.partitionOf(hash)).add(s);
    }
    return buckets;
  }

  private ColumnBatch mergePartition(int p, List<Integer> slots, List<Integer> distinctSlots,
      boolean emitUpdated, long version) {
    StateChanges newDistinct = countNewDistinctValues(p, distinctSlots);
    StatePartition partition = store.partition(p);
    AggregateBuffer buffer = new AggregateBuffer(plan);
    ColumnBatch out = new ColumnBatch(plan.rawSchema(), emitUpdated ? slots.size() : 0);
    KeyReader keys = new KeyReader();
    StateChanges changes = new StateChanges();
    for (int slot : slots) {
      byte[] key = groups.key(slot);
      byte[] old = partition.get(key);
      buffer.clear();
      if (old != null) {
        buffer.decode(old);
      }
      buffer.merge(groups, slot);
      changes.add(key, old, buffer.encode());
      if (emitUpdated) {
        emit(key, buffer, out, keys);
      }
    }
    if (distinctStore != null) {
      distinctStore.partition(p).apply(version, newDistinct);
    }
    partition.apply(version, changes);
    return out;
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

  private void emit(byte[] key, AggregateBuffer buffer, ColumnBatch out, KeyReader keys) {
    keys.reset(key, 0);
    int groupCount = plan.groupings().size();
    for (int g = 0; g < groupCount; g++) {
      keys.readInto(out.column(g));
    }
    for (AggregateSlot a : plan.aggregates()) {
      buffer.finish(a, out.column(groupCount + a.index()));
    }
  }

  private List<ColumnBatch> emitAll() {
    if (plan.groupings().isEmpty() && store.size() == 0) {
      // A global aggregate over no rows is one row of empty aggregates, as in SQL.
      ColumnBatch out = new ColumnBatch(plan.rawSchema(), 1);
      AggregateBuffer empty = new AggregateBuffer(plan);
      emit(new byte[0], empty, out, new KeyReader());
      return List.of(out);
    }
    List<Future<ColumnBatch>> tasks = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      StatePartition partition = store.partition(p);
      tasks.add(workers.submit(() -> {
        ColumnBatch out = new ColumnBatch(plan.rawSchema(), (int) Math.min(partition.size(), 1 << 16));
        AggregateBuffer buffer = new AggregateBuffer(plan);
        KeyReader keys = new KeyReader();
        partition.forEach((key, value) -> {
          buffer.decode(value);
          emit(key, buffer, out, keys);
        });
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
