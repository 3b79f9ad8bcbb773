package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.StateOperatorProgress;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.BooleanVector;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.ColumnVector;
import io.sluice.internal.batch.DoubleVector;
import io.sluice.internal.batch.IntVector;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.LongVector;
import io.sluice.internal.batch.ObjectVector;
import io.sluice.internal.plan.DeduplicationPlan;
import io.sluice.internal.state.PartitionTasks;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.state.StatePartition;
import io.sluice.internal.state.StateStore;
import io.sluice.internal.state.StateStoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The state of a {@code dropDuplicates}: passes on the first row of each key never seen before,
 * as Spark does, and remembers its key in the state store until the watermark evicts it.
 *
 * <p>Keys first seen in a batch are kept in memory until the batch's end, then written to state
 * as that batch's version, so a batch run again starts from the state alone.
 */
final class Deduplication implements RowOperator {
  private static final byte[] PRESENT = new byte[0];

  private final DeduplicationPlan plan;
  private final StateStore store;
  private final ExecutorService workers;
  private final int retain;
  private final List<Map<ByteBuffer, byte[]>> firstSeen = new ArrayList<>();
  /**
   * Per partition, no committed key expires earlier; MIN_VALUE when unknown. The batch in
   * progress writes {@link #nextEarliest}, taken over at commit, so that a batch run again after
   * a failure still scans for the keys its first attempt evicted.
   */
  private final long[] earliest;
  private final long[] nextEarliest;
  private final long[] removed;
  private final KeyWriter key = new KeyWriter();
  private long duplicates;
  private long lateRows;
  private long lastRemoved;
  private long lastUpdated;

  Deduplication(String operator, DeduplicationPlan plan, StateStoreConfig config,
      ExecutorService workers, @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = workers;
    this.retain = config.minBatchesToRetain();
    int keyBytes = 8 + 9 * Math.max(1, plan.keyColumns().size());
    if (stateDirectory != null) {
      DeduplicateLayout.of(plan).write(stateDirectory);
    }
    this.store = stateDirectory == null ? new StateStore(operator, config, keyBytes, 8)
        : StateStore.open(operator, stateDirectory.resolve("deduplicate"), config, keyBytes, 8,
            committedVersion, workers);
    for (int p = 0; p < config.partitions(); p++) {
      firstSeen.add(new LinkedHashMap<>());
    }
    this.earliest = new long[config.partitions()];
    java.util.Arrays.fill(earliest, Long.MIN_VALUE);
    this.nextEarliest = earliest.clone();
    this.removed = new long[config.partitions()];
  }

  /** Forgets what a failed attempt of this batch saw. */
  @Override
  public void beginBatch() {
    firstSeen.forEach(Map::clear);
    duplicates = 0;
    lateRows = 0;
    store.beginBatch();
  }

  /**
   * Appends to {@code out} the rows of {@code in} whose key is new: not in state, and not seen
   * earlier in this batch. Rows the previous batch's watermark passed are dropped as late.
   */
  @Override
  public void accept(ColumnBatch in, ColumnBatch out, BatchEventTime time) {
    int eventTime = plan.eventTimeColumn();
    LongVector times = eventTime < 0 ? null : (LongVector) in.column(eventTime);
    for (int row = 0; row < in.size(); row++) {
      if (times != null && !times.isNull(row) && times.values[row] <= time.lateWatermark) {
        lateRows++;
        continue;
      }
      encodeKey(in, row);
      byte[] bytes = key.toByteArray();
      int p = store.partitionOf(KeyWriter.hash(bytes, 0, bytes.length));
      ByteBuffer k = ByteBuffer.wrap(bytes);
      if (firstSeen.get(p).containsKey(k) || store.partition(p).get(bytes) != null) {
        duplicates++;
        continue;
      }
      firstSeen.get(p).put(k, value(times, row));
      copyRow(in, row, out);
    }
  }

  /** What state keeps for a key: when it expires, for dropDuplicatesWithinWatermark. */
  private byte[] value(@Nullable LongVector times, int row) {
    if (!plan.withinWatermark()) {
      return PRESENT;
    }
    long first = times.isNull(row) ? 0 : times.values[row];
    return ByteBuffer.allocate(8).putLong(first + plan.delayMillis()).array();
  }

  private void encodeKey(ColumnBatch in, int row) {
    key.reset();
    for (int k = 0; k < plan.keyColumns().size(); k++) {
      RowEncoding.put(key, in.column(plan.keyColumns().get(k)), plan.keyType(k), row);
    }
  }

  private static void copyRow(ColumnBatch in, int row, ColumnBatch out) {
    for (int c = 0; c < in.schema().size(); c++) {
      ColumnVector from = in.column(c);
      ColumnVector to = out.column(c);
      if (from.isNull(row)) {
        to.appendNull();
      } else if (from instanceof LongVector l) {
        ((LongVector) to).append(l.values[row]);
      } else if (from instanceof IntVector i) {
        ((IntVector) to).append(i.values[row]);
      } else if (from instanceof DoubleVector d) {
        ((DoubleVector) to).append(d.values[row]);
      } else if (from instanceof BooleanVector b) {
        ((BooleanVector) to).append(b.values[row]);
      } else {
        ((ObjectVector) to).append(((ObjectVector) from).values[row]);
      }
    }
  }

  /**
   * Writes the batch's new keys to state as {@code version}, and evicts the keys the watermark
   * has passed, one task per partition.
   */
  @Override
  public void finish(long version, BatchEventTime time, List<ColumnBatch> out) {
    long evictAt = plan.evicts() ? time.watermark : Long.MIN_VALUE;
    List<Future<Void>> tasks = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      int partition = p;
      tasks.add(workers.submit(() -> {
        commitPartition(partition, version, evictAt);
        return null;
      }));
    }
    PartitionTasks.awaitAll(tasks, ErrorKind.EXECUTION, "deduplication state");
    lastUpdated = firstSeen.stream().mapToLong(Map::size).sum();
    lastRemoved = java.util.Arrays.stream(removed).sum();
  }

  private void commitPartition(int p, long version, long evictAt) {
    StatePartition partition = store.partition(p);
    StateChanges changes = new StateChanges();
    KeyReader keys = new KeyReader();
    long low = earliest[p];
    long removedHere = 0;
    for (Map.Entry<ByteBuffer, byte[]> e : firstSeen.get(p).entrySet()) {
      byte[] k = e.getKey().array();
      long expires = expiry(k, e.getValue(), keys);
      if (expires <= evictAt) {
        // Seen and already expired: it was emitted, and need not be remembered.
        continue;
      }
      changes.add(k, null, e.getValue());
      low = Math.min(low, expires);
    }
    if (evictAt != Long.MIN_VALUE && low <= evictAt) {
      long[] left = {Long.MAX_VALUE};
      List<byte[][]> gone = new ArrayList<>();
      partition.forEach((k, v) -> {
        long expires = expiry(k, v, keys);
        if (expires <= evictAt) {
          gone.add(new byte[][] {k, v});
        } else {
          left[0] = Math.min(left[0], expires);
        }
      });
      for (byte[][] kv : gone) {
        changes.add(kv[0], kv[1], null);
      }
      removedHere = gone.size();
      for (Map.Entry<ByteBuffer, byte[]> e : firstSeen.get(p).entrySet()) {
        long expires = expiry(e.getKey().array(), e.getValue(), keys);
        if (expires > evictAt) {
          left[0] = Math.min(left[0], expires);
        }
      }
      low = left[0];
    }
    nextEarliest[p] = low;
    removed[p] = removedHere;
    partition.apply(version, changes);
  }

  /** When a key may be forgotten: its event time, or its expiry within the watermark. */
  private long expiry(byte[] k, byte[] value, KeyReader keys) {
    if (plan.withinWatermark()) {
      return ByteBuffer.wrap(value).getLong();
    }
    if (plan.eventTimeKey() < 0) {
      return Long.MAX_VALUE;
    }
    keys.reset(k, 0);
    for (int i = 0; i < plan.eventTimeKey(); i++) {
      keys.skip(plan.keyType(i));
    }
    return keys.readEventTime(plan.keyType(plan.eventTimeKey()));
  }

  /**
   * After {@code committed}: starts the snapshots that are due and cleans state files, then marks
   * the batch done.
   */
  @Override
  public void afterCommit(long committed) {
    System.arraycopy(nextEarliest, 0, earliest, 0, earliest.length);
    store.afterCommit(committed, retain);
  }

  /** As Spark's: a watermark that moved may evict keys, whether or not any is due. */
  @Override
  public boolean needsBatchWithoutData(boolean watermarkMoved, long now) {
    return watermarkMoved;
  }

  @Override
  public StateOperatorProgress progress(int statePartitions, long allUpdatesTimeMs) {
    return new StateOperatorProgress("dedupe", rowsTotal(), rowsUpdated(), allUpdatesTimeMs,
        rowsRemoved(), MicroBatchExecution.millis(store.takeCommitNanos()), memoryUsedBytes(),
        rowsDroppedByWatermark(), statePartitions, statePartitions);
  }

  @Override
  public String describe() {
    return "deduplication";
  }

  long rowsTotal() {
    return store.size();
  }

  long rowsUpdated() {
    return lastUpdated;
  }

  long rowsRemoved() {
    return lastRemoved;
  }

  /** Rows of the last batch dropped because the watermark had passed them. */
  long rowsDroppedByWatermark() {
    return lateRows;
  }

  long duplicatesDropped() {
    return duplicates;
  }

  long memoryUsedBytes() {
    return store.offHeapBytes();
  }

  @Override
  public void close() {
    store.close();
  }
}
