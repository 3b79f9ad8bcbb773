package io.sluice.crash;

import io.sluice.internal.connector.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a crash run's query committed, read back as the expected output is shaped: only files the
 * sink log lists, and only batches the checkpoint's commits log holds.
 */
final class CommittedOutput {
  private CommittedOutput() {}

  /**
   * The rows a kind that writes to the JSON file sink committed, shaped as {@link
   * ExpectedOutput#rows} computes them, with how often each occurs.
   */
  static Map<List<Object>, Long> rows(CrashKind kind, CrashFolders folders) {
    Function<Map<String, @Nullable Object>, List<Object>> shape = switch (kind) {
      case STATELESS -> row -> List.of(text(row, "key"), number(row, "amount"));
      case WINDOWED -> row -> List.of(timestamp(row, "window_start"),
          timestamp(row, "window_end"), text(row, "key"), number(row, "count"),
          number(row, "sum"));
      case DEDUP -> row -> List.of(number(row, "id"), number(row, "time"), text(row, "key"),
          number(row, "amount"));
      case TIMERS -> row -> List.of(text(row, "key"), number(row, "firstTime"),
          number(row, "lastTime"), number(row, "count"), number(row, "sum"));
      case PROCESSOR_TIMERS -> row -> List.of(text(row, "key"), number(row, "timer"),
          number(row, "firstTime"), number(row, "lastTime"), number(row, "count"),
          number(row, "sum"));
      // Arrays.asList takes the nulls of an impression that no click matched.
      case JOIN -> row -> Arrays.asList(text(row, "key"), number(row, "impressionId"),
          timestamp(row, "impressionTime"), numberOrNull(row, "clickId"),
          timestampOrNull(row, "clickTime"));
      case UPDATE, COMPLETE -> throw new IllegalArgumentException(kind + " writes batch files");
      case KAFKA -> throw new IllegalArgumentException(kind + " writes a topic: see CrashTopics");
    };
    Map<List<Object>, Long> rows = new HashMap<>();
    for (Path file : FileSink.committedFiles(folders.output())) {
      for (Map<String, @Nullable Object> row : JsonLines.read(file)) {
        rows.merge(shape.apply(row), 1L, Long::sum);
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
   * Whether the sink committed batch {@code batchId}: the file sink's log holds it or a later
   * batch (its own entry may have been folded into a compact file, see {@link FileSink}), or its
   * batch file exists.
   */
  static boolean sinkWrote(CrashKind kind, CrashFolders folders, long batchId) {
    return kind.writesBatchFiles() ? Files.exists(BatchFiles.path(folders.output(), batchId))
        : FileSink.latestCommittedBatch(folders.output()) >= batchId;
  }

  private static String text(Map<String, @Nullable Object> row, String column) {
    return String.valueOf(row.get(column));
  }

  /** A timestamp as the JSON file sink writes it, {@code 2024-01-01T00:00:10.000Z}, in epoch ms. */
  private static long timestamp(Map<String, @Nullable Object> row, String column) {
    Object value = row.get(column);
    try {
      return Instant.parse(String.valueOf(value)).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("committed row " + row + " has no timestamp " + column, e);
    }
  }

  private static @Nullable Long timestampOrNull(Map<String, @Nullable Object> row,
      String column) {
    return row.get(column) == null ? null : timestamp(row, column);
  }

  private static @Nullable Long numberOrNull(Map<String, @Nullable Object> row, String column) {
    return row.get(column) == null ? null : number(row, column);
  }

  private static long number(Map<String, @Nullable Object> row, String column) {
    Object value = row.get(column);
    if (!(value instanceof Long n)) {
      throw new IllegalStateException("committed row " + row + " has no whole number " + column);
    }
    return n;
  }
}
