package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The retained versions of one state partition in the checkpoint: a change log per batch that
 * changed it ({@code N.delta}) and now and then a full snapshot (see {@link StateFileName}). A
 * version t is rebuilt from the newest snapshot usable for t, with the change logs after the
 * version the snapshot was taken from applied; a version whose batch changed nothing has no file.
 *
 * <p>A snapshot is written once the change logs since the last one add up to its size, or after
 * {@link #DELTAS_PER_SNAPSHOT} of them: that bounds both the bytes written per changed key and the
 * work of a rebuild to a small multiple of the state's size. The second rule waits {@link
 * #MIN_NANOS_BETWEEN_COUNTED_SNAPSHOTS} after the previous snapshot: a query running hundreds of
 * small batches a second would otherwise rewrite its whole state several times a second (as Spark
 * does its snapshots in maintenance every minute, a rebuild may then replay the logs of those
 * seconds).
 *
 * <p>The batch thread and the store's maintenance thread both use a history, so every method that
 * reads or changes the listing holds this object's monitor; the files themselves are written
 * outside it.
 */
final class StateHistory {
  static final int DELTAS_PER_SNAPSHOT = 100;
  /** Below this, a snapshot is cheap whatever the state's size; so is replaying the logs. */
  static final long MIN_BYTES_PER_SNAPSHOT = 1 << 20;
  /** How long the count of change logs alone waits after a snapshot before it makes another. */
  static final long MIN_NANOS_BETWEEN_COUNTED_SNAPSHOTS = 10_000_000_000L;

  /** A snapshot on disk: taken after {@code from} committed, a base for {@code usable} on. */
  record Snapshot(long from, long usable, long bytes) {}

  private final Path directory;
  private final boolean sync;
  /** Version to size in bytes, for each change log on disk. */
  private final NavigableMap<Long, Long> deltas = new TreeMap<>();
  /** By the version each was taken from. */
  private final NavigableMap<Long, Snapshot> snapshots = new TreeMap<>();
  /** {@link System#nanoTime}, or a test's clock. */
  private final LongSupplier nanoTime;
  /** When this run last recorded a snapshot; none yet: no wait. */
  private long lastSnapshotNanos;

  /** Reads the listing of {@code directory}, deleting what a killed writer left half-written. */
  StateHistory(Path directory, boolean sync) {
    this(directory, sync, System::nanoTime);
  }

  /** As the other constructor, timing the snapshots by {@code nanoTime}. */
  StateHistory(Path directory, boolean sync, LongSupplier nanoTime) {
    this.directory = directory;
    this.sync = sync;
    this.nanoTime = nanoTime;
    this.lastSnapshotNanos = nanoTime.getAsLong() - MIN_NANOS_BETWEEN_COUNTED_SNAPSHOTS;
    try {
      CheckpointFile.createDirectories(directory);
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          StateFileName parsed = StateFileName.parse(name);
          if (parsed != null && parsed.snapshot()) {
            snapshots.put(parsed.from(),
                new Snapshot(parsed.from(), parsed.usable(), Files.size(file)));
          } else if (parsed != null) {
            deltas.put(parsed.from(), Files.size(file));
          } else if (name.startsWith(".") && name.endsWith(".tmp")) {
            Files.deleteIfExists(file);
          }
        }
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot read the state folder " + directory + ": " + e, e);
    }
  }

  Path directory() {
    return directory;
  }

  Path delta(long version) {
    return directory.resolve(StateFileName.delta(version).toString());
  }

  Path snapshot(Snapshot snapshot) {
    return snapshot(snapshot.from(), snapshot.usable());
  }

  Path snapshot(long from, long usable) {
    return directory.resolve(StateFileName.snapshot(from, usable).toString());
  }

  synchronized boolean hasDelta(long version) {
    return deltas.containsKey(version);
  }

  /** The newest version a file speaks of, or 0 for none. */
  synchronized long newestVersion() {
    long newest = deltas.isEmpty() ? 0 : deltas.lastKey();
    for (Snapshot s : snapshots.values()) {
      newest = Math.max(newest, s.usable());
    }
    return newest;
  }

  /** The newest snapshot usable as the base of {@code version}; null for the empty state. */
  synchronized @Nullable Snapshot baseFor(long version) {
    return baseFor(snapshots, version);
  }

  /**
   * As {@link #baseFor(long)}, among {@code snapshots} by the version each was taken from: the
   * rule a checkpoint reader without a history applies too.
   */
  static @Nullable Snapshot baseFor(NavigableMap<Long, Snapshot> snapshots, long version) {
    for (Snapshot s : snapshots.headMap(version, true).descendingMap().values()) {
      if (s.usable() <= version) {
        return s;
      }
    }
    return null;
  }

  /**
   * The oldest version the files can rebuild. Conservative: a partition whose early batches
   * changed nothing may be restorable further back than this says, never less.
   */
  synchronized long oldestRestorable() {
    return oldestRestorable(deltas, snapshots);
  }

  /**
   * As {@link #oldestRestorable()}, for the change logs {@code deltas} and the snapshots {@code
   * snapshots}, each by version: the rule a checkpoint reader without a history applies too.
   */
  static long oldestRestorable(NavigableMap<Long, ?> deltas,
      NavigableMap<Long, Snapshot> snapshots) {
    if (snapshots.isEmpty()) {
      return 0;
    }
    Snapshot first = snapshots.firstEntry().getValue();
    // Retention deletes change logs only up to a snapshot it keeps: one at or before the first
    // snapshot means none was deleted yet.
    return !deltas.isEmpty() && deltas.firstKey() <= first.from() ? 0 : first.usable();
  }

  /** The versions after {@code from} up to {@code to} whose batches changed this partition. */
  synchronized List<Long> deltasBetween(long from, long to) {
    return new ArrayList<>(deltas.subMap(from, false, to, true).keySet());
  }

  /** Writes the change log of {@code version}. */
  void writeDelta(long version, StateChanges changes) {
    long bytes;
    try (StateFile.Writer writer = writer(delta(version))) {
      for (int i = 0; i < changes.size(); i++) {
        writer.add(changes.key(i), changes.before(i), changes.after(i));
      }
      bytes = writer.publish();
    }
    synchronized (this) {
      deltas.put(version, bytes);
    }
  }

  /** A writer of one of this partition's files, synced to disk as the checkpoint says. */
  StateFile.Writer writer(Path file) {
    return new StateFile.Writer(file, sync);
  }

  /** Records a snapshot whose file is in place (and synced, if the checkpoint is). */
  synchronized void recordSnapshot(Snapshot snapshot) {
    snapshots.put(snapshot.from(), snapshot);
    lastSnapshotNanos = nanoTime.getAsLong();
  }

  /** True when a snapshot taken after {@code version} is due by the rule in the class comment. */
  synchronized boolean snapshotDue(long version) {
    Map.Entry<Long, Snapshot> floor = snapshots.floorEntry(version);
    Snapshot last = floor == null ? null : floor.getValue();
    long lastFrom = last == null ? 0 : last.from();
    if (lastFrom == version) {
      return false;
    }
    NavigableMap<Long, Long> since = deltas.subMap(lastFrom, false, version, true);
    if (since.isEmpty()) {
      return false;
    }
    long bytes = since.values().stream().mapToLong(Long::longValue).sum();
    long snapshotBytes = last == null ? 0 : last.bytes();
    return bytes >= Math.max(snapshotBytes, MIN_BYTES_PER_SNAPSHOT)
        || since.size() >= DELTAS_PER_SNAPSHOT
            && nanoTime.getAsLong() - lastSnapshotNanos >= MIN_NANOS_BETWEEN_COUNTED_SNAPSHOTS;
  }

  /**
   * Forgets the files no version from {@code oldestRetained} on needs, and returns them for the
   * caller to delete: the change logs up to the version the base of {@code oldestRetained} was
   * taken from, and the snapshots before that base. A newer snapshot not yet usable for {@code
   * oldestRetained} leaves the older base and the logs after it in place. They are deleted
   * outside this object's monitor, so that a batch logging its changes does not wait for the
   * hundreds of deletions a new base may bring.
   */
  synchronized List<Path> forgetBefore(long oldestRetained) {
    Snapshot base = baseFor(oldestRetained);
    long from = base == null ? 0 : base.from();
    List<Path> unneeded = new ArrayList<>();
    NavigableMap<Long, Long> oldDeltas = deltas.headMap(from, true);
    oldDeltas.keySet().forEach(version -> unneeded.add(delta(version)));
    oldDeltas.clear();
    NavigableMap<Long, Snapshot> oldSnapshots = snapshots.headMap(from, false);
    oldSnapshots.values().forEach(s -> unneeded.add(snapshot(s)));
    oldSnapshots.clear();
    return unneeded;
  }

  /** Deletes files {@link #forgetBefore} returned. */
  static void delete(List<Path> files) {
    files.forEach(StateHistory::delete);
  }

  /**
   * Deletes the files of versions after {@code version}, batches that never committed: their
   * change logs, and any snapshot that may hold their changes, one usable only after it.
   */
  synchronized void forgetAfter(long version) {
    for (Long v : deltas.tailMap(version, false).keySet().toArray(Long[]::new)) {
      delete(delta(v));
      deltas.remove(v);
    }
    for (Snapshot s : snapshots.values().toArray(Snapshot[]::new)) {
      if (s.usable() > version) {
        delete(snapshot(s));
        snapshots.remove(s.from());
      }
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot delete the old state file " + file + ": " + e, e);
    }
  }
}
