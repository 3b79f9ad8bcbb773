package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One state partition as of one version, read from its snapshot and change logs alone, without
 * its live map and without changing any file: what a checkpoint reader needs while the query may
 * still be running.
 */
public final class StateAtVersion {
  private StateAtVersion() {}

  /** The entries of the partition in {@code directory} at {@code version}, by key. */
  public static Map<ByteBuffer, byte[]> read(Path directory, long version) {
    TreeMap<Long, Path> deltas = new TreeMap<>();
    TreeMap<Long, StateHistory.Snapshot> snapshots = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        StateFileName name = StateFileName.parse(file.getFileName().toString());
        if (name != null && name.snapshot()) {
          // Its size is not needed to read it: 0.
          snapshots.put(name.from(), new StateHistory.Snapshot(name.from(), name.usable(), 0));
        } else if (name != null) {
          deltas.put(name.from(), file);
        }
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot read the state folder " + directory + ": " + e, e);
    }
    // The rules of the query's own history, so that the reader agrees with a restore.
    StateHistory.Snapshot base = StateHistory.baseFor(snapshots, version);
    long from = base == null ? 0 : base.from();
    long oldest = StateHistory.oldestRestorable(deltas, snapshots);
    if (base == null && oldest > 0) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "state folder " + directory
          + " no longer keeps version " + version + "; the oldest it can show is " + oldest);
    }
    Map<ByteBuffer, byte[]> entries = new LinkedHashMap<>();
    if (base != null) {
      Path file = directory.resolve(StateFileName.snapshot(base.from(), base.usable()).toString());
      StateFile.read(file, (key, before, after) -> entries.put(ByteBuffer.wrap(key), after));
    }
    for (Path delta : deltas.subMap(from, false, version, true).values()) {
      StateFile.read(delta, (key, before, after) -> {
        if (after == null) {
          entries.remove(ByteBuffer.wrap(key));
        } else {
          entries.put(ByteBuffer.wrap(key), after);
        }
      });
    }
    return entries;
  }
}
