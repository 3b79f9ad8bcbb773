package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The retained versions of one state partition in the checkpoint: a change log per batch that
 * changed it ({@code N.delta}) and now and then a full snapshot ({@code N.snapshot}). Version N is
 * the newest snapshot at or before N with the change logs after it applied; a version whose batch
 * changed nothing has no file.
 *
 * <p>A snapshot is written once the change logs since the last one add up to its size, or after
 * {@link #DELTAS_PER_SNAPSHOT} of them: that bounds both the bytes written per changed key and the
 * work of a rebuild to a small multiple of the state's size.
 */
final class StateHistory {
  static final int DELTAS_PER_SNAPSHOT = 100;
  /** Below this, a snapshot is cheap whatever the state's size; so is replaying the logs. */
  static final long MIN_BYTES_PER_SNAPSHOT = 1 << 20;

  private static final Pattern FILE = Pattern.compile("(\\d{1,19})\\.(delta|snapshot)");

  private final Path directory;
  private final boolean sync;
  /** Version to size in bytes, for each file on disk. */
  private final NavigableMap<Long, Long> deltas = new TreeMap<>();
  private final NavigableMap<Long, Long> snapshots = new TreeMap<>();

  /** Reads the listing of {@code directory}, deleting what a killed writer left half-written. */
  StateHistory(Path directory, boolean sync) {
    this.directory = directory;
    this.sync = sync;
    try {
      CheckpointFile.createDirectories(directory);
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          Matcher m = FILE.matcher(name);
          if (m.matches()) {
            long version = Long.parseLong(m.group(1));
            (m.group(2).equals("delta") ? deltas : snapshots).put(version, Files.size(file));
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
    return directory.resolve(version + ".delta");
  }

  Path snapshot(long version) {
    return directory.resolve(version + ".snapshot");
  }

  boolean hasDelta(long version) {
    return deltas.containsKey(version);
  }

  /** The newest version with a file, or 0 for none. */
  long newestVersion() {
    long newest = 0;
    if (!deltas.isEmpty()) {
      newest = deltas.lastKey();
    }
    if (!snapshots.isEmpty()) {
      newest = Math.max(newest, snapshots.lastKey());
    }
    return newest;
  }

  /** The newest snapshot at or before {@code version}; 0, the empty state, if none. */
  long snapshotAtOrBefore(long version) {
    Long found = snapshots.floorKey(version);
    return found == null ? 0 : found;
  }

  /**
   * The oldest version the files can rebuild. Conservative: a partition whose early batches
   * changed nothing may be restorable further back than this says, never less.
   */
  long oldestRestorable() {
    if (snapshots.isEmpty() || !deltas.isEmpty() && deltas.firstKey() <= snapshots.firstKey()) {
      return 0;
    }
    return snapshots.firstKey();
  }

  /** The versions after {@code from} up to {@code to} whose batches changed this partition. */
  Iterable<Long> deltasBetween(long from, long to) {
    return deltas.subMap(from, false, to, true).keySet();
  }

  /** Writes the change log of {@code version}. */
  void writeDelta(long version, StateChanges changes) {
    try (StateFile.Writer writer = writer(delta(version))) {
      for (int i = 0; i < changes.size(); i++) {
        writer.add(changes.key(i), changes.before(i), changes.after(i));
      }
      deltas.put(version, writer.publish());
    }
  }

  /** A writer of one of this partition's files, synced to disk as the checkpoint says. */
  StateFile.Writer writer(Path file) {
    return new StateFile.Writer(file, sync);
  }

  void recordSnapshot(long version, long bytes) {
    snapshots.put(version, bytes);
  }

  /** True when a snapshot at {@code version} is due by the rule in the class comment. */
  boolean snapshotDue(long version) {
    long last = snapshotAtOrBefore(version);
    if (last == version) {
      return false;
    }
    NavigableMap<Long, Long> since = deltas.subMap(last, false, version, true);
    if (since.isEmpty()) {
      return false;
    }
    long bytes = since.values().stream().mapToLong(Long::longValue).sum();
    long snapshotBytes = last == 0 ? 0 : snapshots.get(last);
    return since.size() >= DELTAS_PER_SNAPSHOT
        || bytes >= Math.max(snapshotBytes, MIN_BYTES_PER_SNAPSHOT);
  }

  /**
   * Deletes the files no version from {@code oldestRetained} on needs: everything before the
   * newest snapshot at or before it.
   */
  void forgetBefore(long oldestRetained) {
    long base = snapshotAtOrBefore(oldestRetained);
    deleteAll(deltas.headMap(base, true), "delta");
    deleteAll(snapshots.headMap(base, false), "snapshot");
  }

  /** Deletes the files of versions after {@code version}: batches that never committed. */
  void forgetAfter(long version) {
    deleteAll(deltas.tailMap(version, false), "delta");
    deleteAll(snapshots.tailMap(version, false), "snapshot");
  }

  /** Deletes the files of a view of {@link #deltas} or {@link #snapshots}, and the view's keys. */
  private void deleteAll(NavigableMap<Long, Long> files, String suffix) {
    for (Long version : files.keySet().toArray(Long[]::new)) {
      Path file = directory.resolve(version + "." + suffix);
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new SluiceException(ErrorKind.CHECKPOINT,
            "cannot delete the old state file " + file + ": " + e, e);
      }
      files.remove(version);
    }
  }
}
