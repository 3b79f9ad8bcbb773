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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One state partition as of one version, read from its snapshot and change logs alone, without
 * its live map and without changing any file: what a checkpoint reader needs while the query may
 * still be running.
 */
public final class StateAtVersion {
  private static final Pattern FILE = Pattern.compile("(\\d{1,19})\\.(delta|snapshot)");

  private StateAtVersion() {}

  /** The entries of the partition in {@code directory} at {@code version}, by key. */
  public static Map<ByteBuffer, byte[]> read(Path directory, long version) {
    TreeMap<Long, Path> deltas = new TreeMap<>();
    TreeMap<Long, Path> snapshots = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        if (m.matches()) {
          (m.group(2).equals("delta") ? deltas : snapshots).put(Long.parseLong(m.group(1)), file);
        }
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot read the state folder " + directory + ": " + e, e);
    }
    Map.Entry<Long, Path> base = snapshots.floorEntry(version);
    long from = base == null ? 0 : base.getKey();
    // Retention deletes change logs only once a later snapshot holds what they did.
    if (base == null && !snapshots.isEmpty() && (deltas.isEmpty() || deltas.firstKey() > 1)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "state folder " + directory
          + " no longer keeps version " + version + "; the oldest it can show is "
          + snapshots.firstKey());
    }
    Map<ByteBuffer, byte[]> entries = new LinkedHashMap<>();
    if (base != null) {
      StateFile.read(base.getValue(), (key, before, after) -> entries.put(ByteBuffer.wrap(key),
          after));
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
