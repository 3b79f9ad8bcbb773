package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.internal.batch.KeyWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one stateful operator: {@link StateStoreConfig#partitions()} partitions, each key
 * living in the partition its stable hash selects. With a checkpoint, partition p lives in
 * {@code <directory>/<p>/}.
 *
 * <p>While a batch or a snapshot uses the store, a marker file {@code .in-use} exists (see {@link
 * InUseMarker}). Snapshots are written on the store's own maintenance thread ({@link
 * StateMaintenance}), off the batch path.
 */
public final class StateStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
  private final StatePartition[] partitions;
  private final InUseMarker inUse;
  private final StateMaintenance maintenance;

  /** An empty store without a checkpoint. */
  public StateStore(String operator, StateStoreConfig config, int averageKeyBytes,
      int averageValueBytes) {
    partitions = new StatePartition[config.partitions()];
    for (int p = 0; p < partitions.length; p++) {
      partitions[p] = new StatePartition(operator + "-p" + p, config.maxKeysPerPartition(),
          averageKeyBytes, averageValueBytes);
    }
    inUse = new InUseMarker(null);
    maintenance = new StateMaintenance(operator, inUse);
  }

  private StateStore(String operator, StatePartition[] partitions, InUseMarker inUse) {
    this.partitions = partitions;
    this.inUse = inUse;
    this.maintenance = new StateMaintenance(operator, inUse);
  }

  /**
   * Opens the store kept in {@code directory} at version {@code committed}, its partitions in
   * parallel on {@code workers}: recovering or rebuilding a map takes time per key, on one core.
   */
  public static StateStore open(String operator, Path directory, StateStoreConfig config,
      int averageKeyBytes, int averageValueBytes, long committed, ExecutorService workers) {
    InUseMarker inUse = new InUseMarker(directory.resolve(".in-use"));
    boolean recover = inUse.present();
    long started = System.nanoTime();
    // Opening may undo a batch: a kill now must be recovered from like one in a batch.
    inUse.batchBegins();
    List<Future<StatePartition>> opening = new ArrayList<>();
    List<StatePartition> partitions;
    try {
      for (int p = 0; p < config.partitions(); p++) {
        String name = operator + "-p" + p;
        Path folder = directory.resolve(Integer.toString(p));
        opening.add(workers.submit(() -> StatePartition.open(name, folder,
            config.maxKeysPerPartition(), averageKeyBytes, averageValueBytes, committed,
            recover, config.syncCheckpoint())));
      }
      partitions = PartitionTasks.awaitAll(opening, ErrorKind.CHECKPOINT,
          "opening state " + directory);
    } catch (RuntimeException e) {
      closeOpened(opening);
      throw e;
    }
    StateStore store = new StateStore(operator, partitions.toArray(StatePartition[]::new),
        inUse);
    store.endBatch();
    LOG.info("state {} opened at version {} in {} ms: {}", directory, committed,
        (System.nanoTime() - started) / 1_000_000, store.openings());
    return store;
  }

  /** Closes the partitions that did open when another failed; every task has ended by now. */
  private static void closeOpened(List<Future<StatePartition>> opening) {
    for (Future<StatePartition> partition : opening) {
      try {
        partition.get().close();
      } catch (ExecutionException | InterruptedException e) {
        // That one did not open: there is nothing of it to close.
      }
    }
  }

  /** How each partition found its map, e.g. {@code [REUSED, REUSED, REBUILT, REUSED]}. */
  public List<StatePartition.Opening> openings() {
    List<StatePartition.Opening> openings = new ArrayList<>();
    for (StatePartition p : partitions) {
      openings.add(p.opening());
    }
    return openings;
  }

  /**
   * Marks the store in use until {@link #endBatch()}, then undoes what an earlier attempt of this
   * batch applied without committing: every operator's batch run again reads the committed state.
   */
  public void beginBatch() {
    inUse.batchBegins();
    List<String> undone = new ArrayList<>();
    for (StatePartition p : partitions) {
      if (p.rollBackUncommitted()) {
        undone.add(p.name());
      }
    }
    if (!undone.isEmpty()) {
      LOG.info("state partitions {} undid a batch that did not commit, to run it again",
          undone);
    }
  }

  /** Marks the batch done with the store: its maps are untouched until the next one. */
  public void endBatch() {
    inUse.batchEnds();
  }

  /**
   * Makes {@code changes} (one per partition, in partition order) version {@code version}, the
   * partitions in parallel on {@code workers}; a failure names {@code what}.
   */
  public void apply(long version, List<StateChanges> changes, ExecutorService workers,
      String what) {
    List<Callable<Void>> tasks = new ArrayList<>();
    boolean[] busy = new boolean[partitions.length];
    for (int p = 0; p < partitions.length; p++) {
      StatePartition partition = partitions[p];
      StateChanges c = changes.get(p);
      busy[p] = !c.isEmpty();
      tasks.add(() -> {
        partition.apply(version, c);
        return null;
      });
    }
    PartitionTasks.run(tasks, busy, workers, ErrorKind.EXECUTION, what);
  }

  /**
   * After version {@code committed} is committed: hands each partition's snapshot that is due to
   * the maintenance thread and deletes the files no longer needed, keeping {@code retain} versions
   * restorable, then marks the batch done. A snapshot that failed since the last batch fails this
   * call.
   */
  public void afterCommit(long committed, int retain) {
    for (StatePartition partition : partitions) {
      partition.maintain(committed, retain, maintenance);
    }
    endBatch();
  }

  /**
   * The time the partitions spent making versions since the last call, summed over partitions
   * as Spark sums its tasks' {@code commitTimeMs}.
   */
  public long takeCommitNanos() {
    long nanos = 0;
    for (StatePartition p : partitions) {
      nanos += p.takeApplyNanos();
    }
    return nanos;
  }

  public int partitionCount() {
    return partitions.length;
  }

  public StatePartition partition(int p) {
    return partitions[p];
  }

  /** The partition of a key whose {@link KeyWriter#hash} is {@code hash}. */
  public int partitionOf(int hash) {
    return Math.floorMod(hash, partitions.length);
  }

  public long size() {
    long total = 0;
    for (StatePartition p : partitions) {
      total += p.size();
    }
    return total;
  }

  public long offHeapBytes() {
    long total = 0;
    for (StatePartition p : partitions) {
      total += p.offHeapBytes();
    }
    return total;
  }

  /** Cancels the snapshots being written, stops the maintenance thread and closes the maps. */
  @Override
  public void close() {
    try {
      for (StatePartition p : partitions) {
        p.close();
      }
    } finally {
      maintenance.close();
    }
  }
}
