package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One partition of an operator's state, versioned by batch: version N is the state after the
 * batch that makes it N. Each batch's changes are logged (with a checkpoint, to {@code N.delta},
 * synced) before they touch the live map, so that the changes of a batch that never committed can
 * be undone, in this process or after a crash, in time proportional to the batch.
 *
 * <p>Snapshots are written off the batch path, on the executor {@link #maintain} is given, while
 * later batches go on (see {@link BackgroundSnapshot}); at most one is in flight, and a rollback,
 * restore or close cancels it first.
 */
public final class StatePartition implements AutoCloseable {
  /** How an open found the live map: reused as it was, repaired by Chronicle, or rebuilt. */
  public enum Opening { IN_MEMORY, REUSED, RECOVERED, REBUILT }

  private final String name;
  private final long maxKeys;
  private final int averageKeyBytes;
  private final int averageValueBytes;
  private final @Nullable StateHistory history;
  private LiveMap live;
  private long version;
  /** The changes that made {@link #version}, kept to undo them without reading the log back. */
  private @Nullable StateChanges newest;
  private Opening opening = Opening.IN_MEMORY;
  /** The newest version a commit made final; readers outside the query see it, not newer. */
  private volatile long committedVersion;
  /** Held to change the live map, and by readers who must not see it half-changed. */
  private final java.util.concurrent.locks.ReadWriteLock lock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  /** Versions before this are no longer restorable: their files were deleted. */
  private long oldestRestorable;
  /** Set by {@link #close} under the write lock: readers then must not touch the unmapped map. */
  private boolean closed;
  /** Time {@link #apply} took since {@link #takeApplyNanos}: progress's {@code commitTimeMs}. */
  private long applyNanos;
  /**
   * The newest version whose apply has begun: set before the apply logs or changes anything, so
   * that a snapshot reading it after its iteration covers every change it may have seen.
   */
  private volatile long begun;
  /** The newest snapshot asked for; it may still be written, or have failed. */
  private volatile @Nullable BackgroundSnapshot snapshot;
  /** Runs on the maintenance thread after each entry a snapshot writes: tests pause there. */
  volatile Runnable afterSnapshotEntry = () -> { };

  /** An empty partition at version 0, without a checkpoint. */
  public StatePartition(String name, long maxKeys, int averageKeyBytes, int averageValueBytes) {
    this(name, maxKeys, averageKeyBytes, averageValueBytes, null);
    this.live = LiveMap.inMemory(name, maxKeys, averageKeyBytes, averageValueBytes);
  }

  private StatePartition(String name, long maxKeys, int averageKeyBytes, int averageValueBytes,
      @Nullable StateHistory history) {
    this.name = name;
    this.maxKeys = maxKeys;
    this.averageKeyBytes = averageKeyBytes;
    this.averageValueBytes = averageValueBytes;
    this.history = history;
  }

  /**
   * Opens the partition kept in {@code directory} at version {@code committed}: the live map a
   * previous run left, with the changes of any batch after {@code committed} undone, or else a map
   * rebuilt from the snapshot and change logs. {@code recover} says the previous run may have been
   * killed while using the map.
   */
  public static StatePartition open(String name, Path directory, long maxKeys,
      int averageKeyBytes, int averageValueBytes, long committed, boolean recover) {
    return open(name, directory, maxKeys, averageKeyBytes, averageValueBytes, committed, recover,
        true);
  }

  /** As the other {@code open}; {@code sync} says whether change logs and snapshots are synced. */
  public static StatePartition open(String name, Path directory, long maxKeys,
      int averageKeyBytes, int averageValueBytes, long committed, boolean recover, boolean sync) {
    StateHistory history = new StateHistory(directory, sync);
    StatePartition partition = new StatePartition(name, maxKeys, averageKeyBytes,
        averageValueBytes, history);
    LiveMap reused = LiveMap.reopen(name, directory, maxKeys, averageKeyBytes, averageValueBytes,
        recover);
    try {
      if (reused != null) {
        partition.opening = recover ? Opening.RECOVERED : Opening.REUSED;
        partition.live = reused;
        partition.version = Math.max(committed, history.newestVersion());
        partition.rollBackTo(committed);
      } else {
        partition.opening = Opening.REBUILT;
        partition.restore(committed);
      }
    } catch (RuntimeException e) {
      partition.close();
      throw e;
    }
    history.forgetAfter(committed);
    partition.committedVersion = committed;
    return partition;
  }

  public String name() {
    return name;
  }

  public Opening opening() {
    return opening;
  }

  /** The version the live map holds. */
  public long version() {
    return version;
  }

  public byte @Nullable [] get(byte[] key) {
    return live.get(key);
  }

  /**
   * Makes {@code changes} the state of {@code version}: logs them, then applies them. A version
   * not after the current one is a batch tried again: the earlier attempt is undone first. If
   * applying fails part-way, what was applied is undone and the partition stays where it was.
   */
  public void apply(long version, StateChanges changes) {
    long start = System.nanoTime();
    lock.writeLock().lock();
    try {
      if (version <= this.version) {
        rollBackTo(version - 1);
      }
      begun = version;
      if (history != null && !changes.isEmpty()) {
        history.writeDelta(version, changes);
      }
      try {
        for (int i = 0; i < changes.size(); i++) {
          set(changes.key(i), changes.after(i));
        }
      } catch (RuntimeException e) {
        // A snapshot in flight may have read what is being undone.
        cancelSnapshot();
        undo(changes);
        forgetUndone(this.version);
        throw e;
      }
      this.version = version;
      this.newest = changes;
    } finally {
      lock.writeLock().unlock();
      applyNanos += System.nanoTime() - start;
    }
  }

  /**
   * The time spent making versions (writing their changes and applying them) since the last call;
   * read by the query's thread after the workers that applied them are done.
   */
  long takeApplyNanos() {
    long nanos = applyNanos;
    applyNanos = 0;
    return nanos;
  }

  /**
   * The value of {@code key} as of the newest committed version, for readers outside the query:
   * a batch applied but not yet committed is looked through, to what it replaced.
   */
  public byte @Nullable [] getCommitted(byte[] key) {
    lock.readLock().lock();
    try {
      requireOpen();
      StateChanges pending = version > committedVersion ? newest : null;
      int at = pending == null ? -1 : pending.indexOf(key);
      return at >= 0 ? pending.before(at) : live.get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every entry as of the newest committed version; see {@link #getCommitted}. */
  public void forEachCommitted(BiConsumer<byte[], byte[]> action) {
    lock.readLock().lock();
    try {
      requireOpen();
      StateChanges pending = version > committedVersion ? newest : null;
      live.forEach((key, value) -> {
        if (pending == null || pending.indexOf(key) < 0) {
          action.accept(key, value);
        }
      });
      for (int i = 0; pending != null && i < pending.size(); i++) {
        byte[] before = pending.before(i);
        if (before != null) {
          action.accept(pending.key(i), before);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A reader outside the query may hold a view of the state after its query stopped. */
  private void requireOpen() {
    if (closed) {
      throw new SluiceException(ErrorKind.EXECUTION, "state partition " + name
          + " is closed because its query stopped; its state can be read only while the query"
          + " runs");
    }
  }

  /**
   * Undoes the version an attempt of a batch applied but never committed (a later stage or the
   * sink failed), so that the batch run again in this process reads the committed state, as a
   * batch run again after a restart does; true if there was one. A version can be undone only
   * before the next is applied, so a batch calls this as it begins.
   */
  boolean rollBackUncommitted() {
    lock.writeLock().lock();
    try {
      if (version <= committedVersion) {
        return false;
      }
      rollBackTo(committedVersion);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Undoes versions after {@code target}, newest first, from memory or from their logs. */
  void rollBackTo(long target) {
    if (version > target) {
      cancelSnapshot();
    }
    while (version > target) {
      if (newest != null) {
        undo(newest);
      } else if (history != null) {
        if (history.hasDelta(version)) {
          undo(history.delta(version));
        }
      } else {
        throw new IllegalStateException("state partition " + name + " cannot undo version "
            + version + ": without a checkpoint only the newest batch is kept");
      }
      newest = null;
      version--;
    }
    forgetUndone(target);
  }

  /**
   * After the map is back at {@code target}, the snapshot in flight cancelled: deletes the logs of
   * the versions undone and any snapshot that may have read their changes.
   */
  private void forgetUndone(long target) {
    begun = target;
    if (history != null) {
      history.forgetAfter(target);
    }
  }

  /** Waits until the snapshot asked for last, if any, has ended: for tests. */
  void awaitSnapshot() throws InterruptedException {
    BackgroundSnapshot s = snapshot;
    if (s != null) {
      s.awaitEnd();
    }
  }

  /** Stops the snapshot in flight, if any, and waits until it no longer reads the map. */
  private void cancelSnapshot() {
    BackgroundSnapshot s = snapshot;
    if (s != null) {
      s.cancel();
    }
  }

  private void undo(StateChanges changes) {
    for (int i = 0; i < changes.size(); i++) {
      set(changes.key(i), changes.before(i));
    }
  }

  /** Undoes a logged batch; the log is checked whole first, so a damaged one changes nothing. */
  private void undo(Path delta) {
    StateFile.verify(delta);
    StateFile.read(delta, (key, before, after) -> set(key, before));
  }

  private void set(byte[] key, byte @Nullable [] value) {
    if (value == null) {
      live.remove(key);
    } else {
      live.put(key, value);
    }
  }

  /**
   * Replaces the live map with version {@code target} rebuilt from the checkpoint: the newest
   * snapshot at or before it, then each later change log up to it.
   */
  void restore(long target) {
    StateHistory files = requireHistory();
    cancelSnapshot();
    long oldest = Math.max(oldestRestorable, files.oldestRestorable());
    if (target < oldest) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "state folder " + files.directory()
          + " cannot restore version " + target + ": versions before " + oldest
          + " are no longer kept");
    }
    StateHistory.Snapshot base = files.baseFor(target);
    Path directory = files.directory();
    if (live != null) {
      live.close();
    }
    long expected = base == null ? 0 : estimateKeys(files.snapshot(base));
    live = LiveMap.create(name, directory, maxKeys, averageKeyBytes, averageValueBytes, expected);
    if (base != null) {
      StateFile.read(files.snapshot(base), (key, before, after) -> live.put(key, after));
    }
    for (long v : files.deltasBetween(base == null ? 0 : base.from(), target)) {
      StateFile.read(files.delta(v), (key, before, after) -> set(key, after));
    }
    version = target;
    begun = target;
    newest = null;
  }

  private long estimateKeys(Path snapshot) {
    return snapshot.toFile().length() / (averageKeyBytes + averageValueBytes + 12);
  }

  /**
   * Whether {@link #maintain} will ask for a snapshot after {@code committed}: one is due and the
   * previous one has ended.
   */
  public boolean snapshotDue(long committed) {
    BackgroundSnapshot previous = snapshot;
    return history != null && version == committed
        && (previous == null || previous.ended()) && history.snapshotDue(committed);
  }

  /** As {@link #maintain(long, int, Executor)}, writing a snapshot due before returning. */
  public void maintain(long committed, int retain) {
    maintain(committed, retain, Runnable::run);
  }

  /**
   * After version {@code committed} is committed: hands to {@code maintenance} a snapshot that is
   * due and the deletion of the files that no version from {@code committed - retain + 1} on
   * needs. A snapshot that failed since the last call fails this one, so that a checkpoint that
   * cannot be written stops the query as it did when snapshots were written in the batch.
   */
  public void maintain(long committed, int retain, Executor maintenance) {
    committedVersion = committed;
    if (history == null) {
      return;
    }
    throwSnapshotFailure();
    if (snapshotDue(committed)) {
      startSnapshot(maintenance);
    }
    oldestRestorable = Math.max(0, committed - retain + 1);
    List<Path> unneeded = history.forgetBefore(oldestRestorable);
    if (!unneeded.isEmpty()) {
      maintenance.execute(() -> StateHistory.delete(unneeded));
    }
    throwSnapshotFailure();
  }

  /** Hands a snapshot of the map as of {@link #version} to {@code maintenance}. */
  void startSnapshot(Executor maintenance) {
    BackgroundSnapshot s = new BackgroundSnapshot(name, version, live, requireHistory(),
        () -> begun, afterSnapshotEntry);
    snapshot = s;
    maintenance.execute(s);
  }

  private void throwSnapshotFailure() {
    BackgroundSnapshot s = snapshot;
    RuntimeException failure = s == null ? null : s.failure();
    if (failure != null) {
      snapshot = null;
      throw new SluiceException(ErrorKind.CHECKPOINT, "the snapshot of state partition " + name
          + " after version " + s.from() + " failed: " + failure.getMessage(), failure);
    }
  }

  private StateHistory requireHistory() {
    if (history == null) {
      throw new IllegalStateException("state partition " + name + " has no checkpoint");
    }
    return history;
  }

  public long size() {
    return live.size();
  }

  /** Off-heap bytes in use, as Chronicle reports them. */
  public long offHeapBytes() {
    return live.offHeapBytes();
  }

  public void forEach(BiConsumer<byte[], byte[]> action) {
    live.forEach(action);
  }

  /**
   * Closes the live map once the readers outside the query are done with it; their later reads
   * fail with a message, never touching the unmapped map.
   */
  @Override
  public void close() {
    cancelSnapshot();
    lock.writeLock().lock();
    try {
      if (!closed && live != null) {
        live.close();
      }
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
  }
}
