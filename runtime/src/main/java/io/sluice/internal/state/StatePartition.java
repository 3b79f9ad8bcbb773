package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One partition of an operator's state, versioned by batch: version N is the state after the
 * batch that makes it N. Each batch's changes are logged (with a checkpoint, to {@code N.delta},
 * synced) before they touch the live map, so that the changes of a batch that never committed can
 * be undone, in this process or after a crash, in time proportional to the batch.
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
      if (history != null && !changes.isEmpty()) {
        history.writeDelta(version, changes);
      }
      try {
        for (int i = 0; i < changes.size(); i++) {
          set(changes.key(i), changes.after(i));
        }
      } catch (RuntimeException e) {
        undo(changes);
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
    if (history != null) {
      history.forgetAfter(target);
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
    long oldest = Math.max(oldestRestorable, files.oldestRestorable());
    if (target < oldest) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "state folder " + files.directory()
          + " cannot restore version " + target + ": versions before " + oldest
          + " are no longer kept");
    }
    long base = files.snapshotAtOrBefore(target);
    Path directory = files.directory();
    if (live != null) {
      live.close();
    }
    long expected = base == 0 ? 0 : estimateKeys(files.snapshot(base));
    live = LiveMap.create(name, directory, maxKeys, averageKeyBytes, averageValueBytes, expected);
    if (base > 0) {
      StateFile.read(files.snapshot(base), (key, before, after) -> live.put(key, after));
    }
    for (long v : files.deltasBetween(base, target)) {
      StateFile.read(files.delta(v), (key, before, after) -> set(key, after));
    }
    version = target;
    newest = null;
  }

  private long estimateKeys(Path snapshot) {
    return snapshot.toFile().length() / (averageKeyBytes + averageValueBytes + 12);
  }

  /** Whether {@link #maintain} will write a snapshot at {@code committed}: the costly part. */
  public boolean snapshotDue(long committed) {
    return history != null && version == committed && history.snapshotDue(committed);
  }

  /**
   * After version {@code committed} is committed: writes a snapshot if one is due, and deletes
   * the files that no version from {@code committed - retain + 1} on needs.
   */
  public void maintain(long committed, int retain) {
    committedVersion = committed;
    if (history == null) {
      return;
    }
    if (snapshotDue(committed)) {
      try (StateFile.Writer writer = history.writer(history.snapshot(committed))) {
        live.forEach((key, value) -> writer.add(key, null, value));
        history.recordSnapshot(committed, writer.publish());
      }
    }
    oldestRestorable = Math.max(0, committed - retain + 1);
    history.forgetBefore(oldestRestorable);
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
