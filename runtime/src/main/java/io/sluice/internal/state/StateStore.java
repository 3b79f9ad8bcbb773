package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one stateful operator: {@link StateStoreConfig#partitions()} partitions, each key
 * living in the partition its stable hash selects. With a checkpoint, partition p lives in
 * {@code <directory>/<p>/}.
 *
 * <p>While a batch uses the store, a marker file {@code .in-use} exists: a process killed then may
 * have died holding one of Chronicle Map's locks, so the next run opens the maps in recovery mode.
 */
public final class StateStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
  private final StatePartition[] partitions;
  private final @Nullable Path inUse;

  /** An empty store without a checkpoint. */
  public StateStore(String operator, StateStoreConfig config, int averageKeyBytes,
      int averageValueBytes) {
    partitions = new StatePartition[config.partitions()];
    for (int p = 0; p < partitions.length; p++) {
      partitions[p] = new StatePartition(operator + "-p" + p, config.maxKeysPerPartition(),
          averageKeyBytes, averageValueBytes);
    }
    inUse = null;
  }

  private StateStore(StatePartition[] partitions, Path inUse) {
    this.partitions = partitions;
    this.inUse = inUse;
  }

  /**
   * Opens the store kept in {@code directory} at version {@code committed}, its partitions in
   * parallel on {@code workers}: recovering or rebuilding a map takes time per key, on one core.
   */
  public static StateStore open(String operator, Path directory, StateStoreConfig config,
      int averageKeyBytes, int averageValueBytes, long committed, ExecutorService workers) {
    Path inUse = directory.resolve(".in-use");
    boolean recover = Files.exists(inUse);
    long started = System.nanoTime();
    // Opening may undo a batch: a kill now must be recovered from like one in a batch.
    markInUse(inUse);
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
    StateStore store = new StateStore(partitions.toArray(StatePartition[]::new), inUse);
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
    if (inUse != null) {
      markInUse(inUse);
    }
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

  private static void markInUse(Path inUse) {
    try {
      CheckpointFile.createDirectories(inUse.getParent());
      if (!Files.exists(inUse)) {
        Files.createFile(inUse);
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot write the state marker " + inUse + ": " + e, e);
    }
  }

  /** Marks the store idle: its maps are closed or untouched until the next batch. */
  public void endBatch() {
    if (inUse != null) {
      try {
        Files.deleteIfExists(inUse);
      } catch (IOException e) {
        throw new SluiceException(ErrorKind.CHECKPOINT,
            "cannot remove the state marker " + inUse + ": " + e, e);
      }
    }
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
   * After version {@code committed} is committed: snapshots and cleans each partition's files on
   * {@code workers} in parallel, keeping {@code retain} versions restorable, then marks the store
   * idle.
   */
  public void afterCommit(long committed, int retain, ExecutorService workers) {
    List<Callable<Void>> tasks = new ArrayList<>();
    boolean[] busy = new boolean[partitions.length];
    for (int p = 0; p < partitions.length; p++) {
      StatePartition partition = partitions[p];
      busy[p] = partition.snapshotDue(committed);
      tasks.add(() -> {
        partition.maintain(committed, retain);
        return null;
      });
    }
    PartitionTasks.run(tasks, busy, workers, ErrorKind.EXECUTION, "state maintenance");
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

  @Override
  public void close() {
    for (StatePartition p : partitions) {
      p.close();
    }
  }
}
