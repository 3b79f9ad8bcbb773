package io.sluice.crash;

import io.sluice.api.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The aggregation kinds' sink, through {@code foreachBatch}: batch N's rows go to {@code
 * batch-N.json}, replaced in one rename, so that a batch re-run after a crash overwrites its
 * earlier attempt instead of adding to it. (The JSON file sink takes append mode only, as Spark's.)
 */
final class BatchFiles {
  private static final String PREFIX = "batch-";
  private static final String SUFFIX = ".json";

  private BatchFiles() {}

  /**
   * Writes batch {@code batchId}'s rows. Not forced to disk: the harness kills processes, it does
   * not cut the power, and the kernel keeps what a killed process wrote.
   */
  static void write(Path directory, long batchId, List<Row> rows) {
    List<Map<String, @Nullable Object>> maps = new ArrayList<>(rows.size());
    rows.forEach(r -> maps.add(r.toMap()));
    Path target = path(directory, batchId);
    Path temp = directory.resolve("." + name(batchId) + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        JsonLines.write(out, maps);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The batch files of batches up to {@code lastCommitted}, by batch id. */
  static SortedMap<Long, Path> upTo(Path directory, long lastCommitted) {
    SortedMap<Long, Path> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      entries.forEach(file -> {
        String name = file.getFileName().toString();
        if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
          long id = Long.parseLong(name, PREFIX.length(), name.length() - SUFFIX.length(), 10);
          if (id <= lastCommitted) {
            files.put(id, file);
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  static Path path(Path directory, long batchId) {
    return directory.resolve(name(batchId));
  }

  private static String name(long batchId) {
    return String.format(Locale.ROOT, "%s%05d%s", PREFIX, batchId, SUFFIX);
  }
}
