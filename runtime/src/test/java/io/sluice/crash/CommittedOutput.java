package io.sluice.crash;

import io.sluice.internal.connector.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * What a crash run's query committed, read back as the expected output is shaped: only files the
 * sink log lists, and only batches the checkpoint's commits log holds.
 */
final class CommittedOutput {
  private CommittedOutput() {}

  /** The stateless query's committed rows, {@code [key, amount]}, with how often each occurs. */
  static Map<List<Object>, Long> rows(CrashFolders folders) {
    Map<List<Object>, Long> rows = new HashMap<>();
    for (Path file : FileSink.committedFiles(folders.output())) {
      for (Map<String, @Nullable Object> row : JsonLines.read(file)) {
        rows.merge(List.of(String.valueOf(row.get("key")), number(row, "amount")), 1L,
            Long::sum);
      }
    }
    return rows;
  }

  /**
   * The aggregation's count and sum per key as the committed batches leave them: in update mode a
   * key's latest row wins; in complete mode the last batch holds the whole table.
   */
  static Map<String, Totals> totals(CrashKind kind, CrashFolders folders) {
    SortedMap<Long, Path> batches =
        BatchFiles.upTo(folders.output(), folders.lastCommittedBatch());
    Map<String, Totals> totals = new HashMap<>();
    if (batches.isEmpty()) {
      return totals;
    }
    Collection<Path> read = kind == CrashKind.COMPLETE ? List.of(batches.get(batches.lastKey()))
        : batches.values();
    for (Path file : read) {
      for (Map<String, @Nullable Object> row : JsonLines.read(file)) {
        totals.put(String.valueOf(row.get("key")),
            new Totals(number(row, "count"), number(row, "sum")));
      }
    }
    return totals;
  }

  /**
   * Whether the sink committed batch {@code batchId}: the file sink's log has its entry ({@code
   * _sluice_sink_log/<batchId>}, see {@link FileSink}), or its batch file exists.
   */
  static boolean sinkWrote(CrashKind kind, CrashFolders folders, long batchId) {
    Path written = kind.aggregates() ? BatchFiles.path(folders.output(), batchId)
        : folders.output().resolve("_sluice_sink_log").resolve(Long.toString(batchId));
    return Files.exists(written);
  }

  private static long number(Map<String, @Nullable Object> row, String column) {
    Object value = row.get(column);
    if (!(value instanceof Long n)) {
      throw new IllegalStateException("committed row " + row + " has no whole number " + column);
    }
    return n;
  }
}
