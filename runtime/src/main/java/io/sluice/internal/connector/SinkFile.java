package io.sluice.internal.connector;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data file of a file sink's output as the sink log knows it: its name in the output directory
 * and the batches whose rows it holds, {@code firstBatch} to {@code lastBatch}.
 *
 * <p>A part file the sink wrote holds rows of one batch. A file the compaction action merged holds
 * rows of several, and lists its {@code origins}: the files whose rows it took, so that a
 * streaming reader that has read some of those batches but not the others can read the others
 * from them while they still exist. An empty list means the origins are gone (deleted by vacuum)
 * or the file was never merged.
 */
record SinkFile(String name, long firstBatch, long lastBatch, List<SinkFile> origins) {
  private static final Pattern PART = Pattern.compile("part-(\\d{1,18})-.*");
  private static final Pattern MERGED = Pattern.compile("merged-(\\d{1,18})-(\\d{1,18})-.*");

  SinkFile {
    origins = List.copyOf(origins);
  }

  /** A part file that batch {@code batchId} wrote. */
  static SinkFile part(String name, long batchId) {
    return new SinkFile(name, batchId, batchId, List.of());
  }

  /**
   * The last batch whose rows a file of this name holds, read from the name the sink or the
   * compaction gave it, or -1 for a name neither gives.
   */
  static long lastBatchOf(String fileName) {
    Matcher merged = MERGED.matcher(fileName);
    if (merged.matches()) {
      return Long.parseLong(merged.group(2));
    }
    Matcher part = PART.matcher(fileName);
    return part.matches() ? Long.parseLong(part.group(1)) : -1;
  }

  /** The files whose rows this one holds, as finely as the log still knows them. */
  List<SinkFile> finestOrigins() {
    return origins.isEmpty() ? List.of(withoutOrigins()) : origins;
  }

  SinkFile withoutOrigins() {
    return new SinkFile(name, firstBatch, lastBatch, List.of());
  }
}
