package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The files a file source has accepted, in the order it reads them; a file's index in this list is
 * what the source's offsets count.
 *
 * <p>Each {@link #refresh} appends only files not seen before, so earlier indexes never move. In
 * a plain directory, new files are ordered by (last-modified time, name) and hidden, metadata and
 * temporary names ({@code .x}, {@code _x}, {@code x.tmp}) are skipped. In a file sink's output
 * directory only committed files count, in the order the sink log committed them, and each
 * batch's rows once: a file the compaction action merged holds rows already read, so it is
 * skipped, unless this catalog has read none of its batches (a new reader, or one that fell
 * behind the log's compaction), and if it has read some of them, the merged file's origins that
 * hold the others are read instead, while vacuum has not deleted them.
 *
 * <p>With a checkpoint, the list is kept in a folder of segments: a refresh that finds files
 * writes one segment named by the index of its first file, so that a batch costs what it adds,
 * not the whole list; every {@link #SEGMENTS_PER_COMPACTION} segments are folded into segment
 * {@code 0}. Segments may overlap after a crash during that folding; a file's first occurrence
 * wins, so the list comes out the same.
 */
final class FileCatalog {
  static final int SEGMENTS_PER_COMPACTION = 100;

  private final Path directory;
  private final List<Path> files = new ArrayList<>();
  private final Set<Path> known = new HashSet<>();
  /** In a sink's output, the first batch none of whose rows has been accepted yet. */
  private long nextSinkBatch;
  /** In a sink's output, the last log entry applied, or null. */
  private @Nullable LogKey sinkPosition;
  /** The checkpoint folder that keeps the list across restarts, or null. */
  private @Nullable Path log;
  private int segments;

  FileCatalog(Path directory) {
    this.directory = directory;
  }

  /**
   * Keeps the list in the folder {@code logDirectory} from now on, first loading the files a
   * previous run of the query accepted, in their order, so that its logged offsets mean the same
   * files.
   */
  void persistTo(Path logDirectory) {
    this.log = logDirectory;
    for (Path segment : segments(logDirectory)) {
      long first = Long.parseLong(segment.getFileName().toString());
      if (first > files.size()) {
        throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint file " + segment
            + " lists files from index " + first + " but the segments before it list only "
            + files.size() + "; the file source's log in " + logDirectory + " is incomplete");
      }
      for (String name : CheckpointFile.read(segment).split("\n")) {
        if (!name.isEmpty()) {
          add(directory.resolve(name));
          // A sink's output is read again from its log, skipping the batches read before.
          nextSinkBatch = Math.max(nextSinkBatch, SinkFile.lastBatchOf(name) + 1);
        }
      }
      segments++;
    }
  }

  /** The segments in {@code logDirectory}, by the index of their first file. */
  private static List<Path> segments(Path logDirectory) {
    if (!Files.isDirectory(logDirectory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(logDirectory)) {
      return entries.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
          .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())))
          .toList();
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot list the file source's log " + logDirectory + ": " + e, e);
    }
  }

  /** Lists the directory, appends the new files, and returns how many files there are now. */
  int refresh() {
    int before = files.size();
    if (SinkLog.isSinkOutput(directory)) {
      addCommittedFiles();
    } else {
      addListedFiles();
    }
    if (log != null && files.size() > before) {
      // Written before the offsets that count these files can reach the offsets log.
      CheckpointFile.write(log.resolve(Integer.toString(before)), names(before));
      if (++segments > SEGMENTS_PER_COMPACTION) {
        compact(log);
      }
    }
    return files.size();
  }

  /** Folds every segment into segment 0, then deletes the others it covers. */
  private void compact(Path logDirectory) {
    CheckpointFile.write(logDirectory.resolve("0"), names(0));
    for (Path segment : segments(logDirectory)) {
      if (!segment.getFileName().toString().equals("0")) {
        try {
          Files.delete(segment);
        } catch (IOException e) {
          throw new SluiceException(ErrorKind.CHECKPOINT,
              "cannot delete the folded segment " + segment + ": " + e, e);
        }
      }
    }
    segments = 1;
  }

  private String names(int from) {
    StringBuilder out = new StringBuilder();
    for (Path file : files.subList(from, files.size())) {
      out.append(directory.relativize(file)).append('\n');
    }
    return out.toString();
  }

  int size() {
    return files.size();
  }

  /** Files {@code from} (inclusive) to {@code to} (exclusive), listing again if needed. */
  List<Path> range(long from, long to) {
    if (to > files.size()) {
      refresh();
    }
    if (from < 0 || from > to || to > files.size()) {
      throw new SluiceException(
          ErrorKind.CONNECTOR,
          "file source offsets "
              + from
              + " to "
              + to
              + " are beyond the "
              + files.size()
              + " files in "
              + directory
              + "; were files deleted?");
    }
    return List.copyOf(files.subList((int) from, (int) to));
  }

  private void addCommittedFiles() {
    for (SinkLog.Entry entry : new SinkLog(directory).entriesAfter(sinkPosition)) {
      entry.change().live().forEach(this::accept);
      if (!entry.key().isRewrite()) {
        nextSinkBatch = Math.max(nextSinkBatch, entry.key().batch() + 1);
      }
      sinkPosition = entry.key();
    }
  }

  /** Adds the part of {@code file}'s rows from batches not accepted yet. */
  private void accept(SinkFile file) {
    if (file.lastBatch() < nextSinkBatch) {
      return;
    }
    if (file.firstBatch() >= nextSinkBatch) {
      add(directory.resolve(file.name()));
      return;
    }
    if (file.origins().isEmpty()) {
      throw fellBehind(file);
    }
    for (SinkFile origin : file.origins()) {
      boolean needed = origin.lastBatch() >= nextSinkBatch;
      if (needed && (origin.firstBatch() < nextSinkBatch
          || !Files.exists(directory.resolve(origin.name())))) {
        throw fellBehind(file);
      }
      accept(origin);
    }
  }

  private SluiceException fellBehind(SinkFile merged) {
    return new SluiceException(ErrorKind.CONNECTOR, "the file source over the sink output "
        + directory + " has read its batches up to " + (nextSinkBatch - 1) + " and needs the "
        + "rows of batches " + nextSinkBatch + " to " + merged.lastBatch() + ", which the "
        + "compaction action merged into " + merged.name() + " with rows it has read; vacuum "
        + "has deleted the files they came from, so this reader fell behind the vacuum "
        + "retention: read the output with a new checkpoint, or vacuum with a longer retention");
  }

  private void addListedFiles() {
    List<Listed> fresh = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      entries
          .filter(p -> !AtomicFiles.isHiddenOrTemporary(p.getFileName().toString()))
          .filter(p -> !known.contains(p))
          .filter(Files::isRegularFile)
          .map(FileCatalog::listed)
          .filter(Objects::nonNull)
          .forEach(fresh::add);
    } catch (NoSuchFileException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "file source directory " + directory + " does not exist", e);
    } catch (IOException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "could not list " + directory + ": " + e.getMessage(), e);
    }
    fresh.sort(
        Comparator.comparingLong(Listed::lastModified)
            .thenComparing(l -> l.path().getFileName().toString()));
    fresh.forEach(l -> add(l.path()));
  }

  private void add(Path file) {
    if (known.add(file)) {
      files.add(file);
    }
  }

  /** The file with its time, or null if it vanished between listing and looking. */
  private static @Nullable Listed listed(Path file) {
    try {
      return new Listed(file, Files.getLastModifiedTime(file).toMillis());
    } catch (IOException e) {
      return null;
    }
  }

  private record Listed(Path path, long lastModified) {}
}
