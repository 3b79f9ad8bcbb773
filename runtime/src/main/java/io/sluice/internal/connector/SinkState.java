package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What a file sink's log says at one entry: the live files, in commit order, the files the
 * compaction action removed that still await vacuum, and the last committed batch.
 *
 * <p>A compact entry and a rewrite entry share one text layout, a line per fact: {@code file
 * <firstBatch> <lastBatch> <name>} for a live (or, in a rewrite, added) file, each followed by
 * {@code origin <firstBatch> <lastBatch> <name>} lines for a merged file's origins, and {@code
 * removed <epochMillis> <name>} for a file taken out of the output at that time. A batch entry is
 * older and simpler: one part-file name per line.
 */
final class SinkState {
  private final Map<String, SinkFile> live = new LinkedHashMap<>();
  private final Map<String, Long> removed = new LinkedHashMap<>();
  private long latestBatch = -1;

  /** The live files, in commit order. */
  Collection<SinkFile> live() {
    return live.values();
  }

  /** The removed files that await vacuum, by name, with the time they were removed. */
  Map<String, Long> removed() {
    return removed;
  }

  /** The last committed batch, or -1 before the first. */
  long latestBatch() {
    return latestBatch;
  }

  boolean isLive(String name) {
    return live.containsKey(name);
  }

  /** The names of the files the log still mentions: live, removed, or origins of live ones. */
  Set<String> mentioned() {
    Set<String> names = new HashSet<>(live.keySet());
    names.addAll(removed.keySet());
    for (SinkFile file : live.values()) {
      file.origins().forEach(o -> names.add(o.name()));
    }
    return names;
  }

  void addBatch(long batchId, List<String> names) {
    for (String name : names) {
      live.put(name, SinkFile.part(name, batchId));
    }
    latestBatch = Math.max(latestBatch, batchId);
  }

  void add(SinkFile file) {
    live.put(file.name(), file);
  }

  void remove(String name, long atMillis) {
    live.remove(name);
    removed.put(name, atMillis);
  }

  /** Applies an entry at {@code key} whose facts are {@code change}. */
  void apply(LogKey key, SinkState change) {
    if (key.compact()) {
      live.clear();
      removed.clear();
    }
    change.removed.forEach(this::remove);
    change.live.values().forEach(this::add);
    latestBatch = Math.max(latestBatch, key.batch());
  }

  /**
   * Forgets what vacuum deleted: removed files that no longer exist, and the origins of a merged
   * file once none of them exists (a reader that needed one of them fails either way, and so the
   * log does not keep growing with the history).
   */
  void forgetDeleted(Path directory) {
    Predicate<String> exists = name -> Files.exists(directory.resolve(name));
    removed.keySet().removeIf(exists.negate());
    for (SinkFile file : List.copyOf(live.values())) {
      if (!file.origins().isEmpty()
          && file.origins().stream().map(SinkFile::name).noneMatch(exists)) {
        live.put(file.name(), file.withoutOrigins());
      }
    }
  }

  String render() {
    StringBuilder text = new StringBuilder();
    for (SinkFile file : live.values()) {
      line(text, "file", file);
      for (SinkFile origin : file.origins()) {
        line(text, "origin", origin);
      }
    }
    removed.forEach((name, at) -> text.append("removed ").append(at).append(' ')
        .append(name).append('\n'));
    return text.toString();
  }

  private static void line(StringBuilder text, String kind, SinkFile file) {
    text.append(kind).append(' ').append(file.firstBatch()).append(' ')
        .append(file.lastBatch()).append(' ').append(file.name()).append('\n');
  }

  /** The facts of a batch entry: batch {@code batchId} committed the files named in it. */
  static SinkState ofBatch(long batchId, String body) {
    SinkState state = new SinkState();
    List<String> names = new ArrayList<>();
    for (String name : body.split("\n")) {
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    state.addBatch(batchId, names);
    return state;
  }

  /** The facts of a compact or rewrite entry; {@code entry} names it in errors. */
  static SinkState parse(String body, Path entry) {
    Parser parser = new Parser(entry);
    for (String line : body.split("\n")) {
      if (!line.isEmpty()) {
        parser.line(line);
      }
    }
    return parser.finish();
  }

  /** Reads an entry's lines in order: an {@code origin} line belongs to the last file line. */
  private static final class Parser {
    private final Path entry;
    private final SinkState state = new SinkState();
    private final List<SinkFile> origins = new ArrayList<>();
    private @Nullable SinkFile last;

    Parser(Path entry) {
      this.entry = entry;
    }

    void line(String line) {
      String[] fields = line.split(" ", 4);
      switch (fields[0]) {
        case "file" -> {
          flush();
          last = file(fields, line, entry);
        }
        case "origin" -> {
          if (last == null) {
            throw malformed(entry, line, "an origin before any file");
          }
          origins.add(file(fields, line, entry));
        }
        case "removed" -> removed(line);
        default -> throw malformed(entry, line, "an unknown kind of line");
      }
    }

    private void removed(String line) {
      String[] fields = line.split(" ", 3);
      if (fields.length != 3) {
        throw malformed(entry, line, "not 'removed <epochMillis> <name>'");
      }
      state.removed.put(fields[2], number(fields[1], line, entry));
    }

    SinkState finish() {
      flush();
      return state;
    }

    private void flush() {
      if (last != null) {
        state.add(new SinkFile(last.name(), last.firstBatch(), last.lastBatch(), origins));
        origins.clear();
      }
    }
  }

  private static SinkFile file(String[] fields, String line, Path entry) {
    if (fields.length != 4) {
      throw malformed(entry, line, "not '" + fields[0] + " <firstBatch> <lastBatch> <name>'");
    }
    return new SinkFile(fields[3], number(fields[1], line, entry), number(fields[2], line, entry),
        List.of());
  }

  private static long number(String text, String line, Path entry) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw malformed(entry, line, "'" + text + "' is not a number");
    }
  }

  private static SluiceException malformed(Path entry, String line, String why) {
    return new SluiceException(ErrorKind.CONNECTOR, "sink log entry " + entry
        + " has a line it cannot read, '" + line + "': " + why);
  }
}
