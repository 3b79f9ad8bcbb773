package io.sluice.internal.connector;

import io.sluice.internal.batch.ColumnBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Helpers for the connector tests: writing input files and collecting what a source reads. */
final class ConnectorTestSupport {
  private ConnectorTestSupport() {}

  static Options options(String... keyValues) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return new Options("test connector", map);
  }

  /** Writes {@code lines} to {@code dir/name}, with the given modification time in seconds. */
  static Path write(Path dir, String name, long modifiedSeconds, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedSeconds * 1000));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row {@code source} reads in {@code (start, end]}, copied out of the reused chunks. */
  static List<List<@Nullable Object>> read(Source source, @Nullable Offset start, Offset end) {
    List<List<@Nullable Object>> rows = new ArrayList<>();
    source.read(start, end, chunk -> rows.addAll(copy(chunk)));
    return rows;
  }

  static List<List<@Nullable Object>> copy(ColumnBatch chunk) {
    List<List<@Nullable Object>> rows = new ArrayList<>();
    for (@Nullable Object[] row : chunk.rows()) {
      rows.add(Arrays.asList(row));
    }
    return rows;
  }

  static List<@Nullable Object> row(@Nullable Object... values) {
    return Arrays.asList(values);
  }

  static LongOffset offset(long value) {
    return new LongOffset(value);
  }
}
