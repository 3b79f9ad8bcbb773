package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.FileSinkCompaction.Result;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Merges the small files of a file sink's committed batches into larger ones, and deletes the
 * files it replaced once they are old enough (vacuum).
 *
 * <p>Readers always see a whole set of files: the merged files are written under temporary names,
 * forced and renamed, and only then does one log entry (a rewrite, see {@link SinkLog}) remove the
 * small files and add the merged ones. The small files stay on disk until {@link #vacuum} finds
 * them removed longer ago than its retention, so a reader that listed them before the rewrite can
 * still read them. A streaming reader skips the merged files, whose rows it has read already.
 *
 * <p>One compaction or vacuum runs at a time per output (a lock file in the log folder); the sink
 * may write batches meanwhile, as the rewrite takes its place in the log after the latest batch.
 * Merged files that no entry mentions are left by a compaction that died before its commit; the
 * next compaction or vacuum deletes them.
 */
public final class SinkCompaction {
  static final String LOCK = ".compaction.lock";
  private static final String MERGED_PREFIX = "merged-";

  private final Path directory;
  private final SinkLog log;
  private final LongSupplier clock;
  private final Runnable beforeCommit;

  public SinkCompaction(Path directory, LongSupplier clock) {
    this(directory, clock, () -> {});
  }

  /** {@code beforeCommit} runs between writing the merged files and committing them. */
  SinkCompaction(Path directory, LongSupplier clock, Runnable beforeCommit) {
    if (!SinkLog.isSinkOutput(directory)) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, directory + " is not the output of a "
          + "file sink: it has no " + SinkLog.DIRECTORY + " folder");
    }
    this.directory = directory;
    this.log = new SinkLog(directory);
    this.clock = clock;
    this.beforeCommit = beforeCommit;
  }

  /**
   * Merges live files smaller than {@code targetFileSize} bytes, taken in batch order, into files
   * of at most that size; a file alone in its group stays as it is.
   */
  public Result compact(long targetFileSize) {
    if (targetFileSize <= 0) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "the target file size of a compaction must be above 0 bytes, not " + targetFileSize);
    }
    try (LogLock lock = LogLock.acquire(log.logDirectory().resolve(LOCK))) {
      SinkState state = log.state();
      deleteUnmentioned(state);
      List<List<SinkFile>> groups = groups(state, targetFileSize);
      if (groups.isEmpty()) {
        return new Result(0, 0);
      }
      SinkState rewrite = new SinkState();
      long now = clock.getAsLong();
      for (List<SinkFile> group : groups) {
        rewrite.add(merge(group));
        group.forEach(f -> rewrite.remove(f.name(), now));
      }
      AtomicFiles.fsyncDirectory(directory);
      beforeCommit.run();
      log.commitRewrite(rewrite);
      return new Result(rewrite.removed().size(), rewrite.live().size());
    }
  }

  /**
   * Deletes the files compactions removed at least {@code retention} ago, and merged files no log
   * entry mentions; returns how many files it deleted.
   */
  public int vacuum(Duration retention) {
    if (retention.isNegative()) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "the retention of a vacuum must be zero or more, not " + retention);
    }
    try (LogLock lock = LogLock.acquire(log.logDirectory().resolve(LOCK))) {
      SinkState state = log.state();
      int deleted = deleteUnmentioned(state);
      long cutoff = clock.getAsLong() - retention.toMillis();
      for (var removed : state.removed().entrySet()) {
        if (removed.getValue() <= cutoff && delete(directory.resolve(removed.getKey()))) {
          deleted++;
        }
      }
      return deleted;
    }
  }

  /** Groups of at least two small files, in batch order, each at most the target in all. */
  private List<List<SinkFile>> groups(SinkState state, long target) {
    Map<SinkFile, Long> small = new TreeMap<>(Comparator.comparingLong(SinkFile::firstBatch)
        .thenComparingLong(SinkFile::lastBatch).thenComparing(SinkFile::name));
    for (SinkFile file : state.live()) {
      long size = size(file);
      if (size < target) {
        small.put(file, size);
      }
    }
    List<List<SinkFile>> groups = new ArrayList<>();
    List<SinkFile> group = new ArrayList<>();
    long bytes = 0;
    for (var entry : small.entrySet()) {
      SinkFile file = entry.getKey();
      long size = entry.getValue();
      if (!group.isEmpty() && bytes + size > target) {
        close(group, groups);
        group = new ArrayList<>();
        bytes = 0;
      }
      group.add(file);
      bytes += size;
    }
    close(group, groups);
    return groups;
  }

  private static void close(List<SinkFile> group, List<List<SinkFile>> groups) {
    if (group.size() > 1) {
      groups.add(group);
    }
  }

  /** Writes one file with the rows of {@code group}, and describes it with its origins. */
  private SinkFile merge(List<SinkFile> group) {
    long first = group.stream().mapToLong(SinkFile::firstBatch).min().orElseThrow();
    long last = group.stream().mapToLong(SinkFile::lastBatch).max().orElseThrow();
    String name = String.format(Locale.ROOT, "%s%05d-%05d-%s.json", MERGED_PREFIX, first, last,
        UUID.randomUUID());
    AtomicFiles.writeWithoutDirectorySync(directory.resolve(name), out -> {
      for (SinkFile file : group) {
        copyLines(directory.resolve(file.name()), out);
      }
    });
    List<SinkFile> origins = new ArrayList<>();
    group.forEach(f -> origins.addAll(f.finestOrigins()));
    return new SinkFile(name, first, last, origins);
  }

  /** Copies a JSON-lines file, ending it with a line break if it lacks one. */
  private static void copyLines(Path file, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    int last = '\n';
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (n > 0) {
          out.write(buffer, 0, n);
          last = buffer[n - 1];
        }
      }
    } catch (NoSuchFileException e) {
      throw new SluiceException(ErrorKind.CONNECTOR, "the committed file " + file
          + " is missing, so it cannot be merged; was it deleted by hand?", e);
    }
    if (last != '\n') {
      out.write('\n');
    }
  }

  /**
   * Deletes merged files, and their temporary files, that no log entry mentions: left by a
   * compaction that died before committing, as this one holds the lock no other can run without.
   */
  private int deleteUnmentioned(SinkState state) {
    int deleted = 0;
    Set<String> mentioned = state.mentioned();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        boolean temporary = name.startsWith("." + MERGED_PREFIX) && name.endsWith(".tmp");
        boolean orphan = name.startsWith(MERGED_PREFIX) && !mentioned.contains(name);
        if ((temporary || orphan) && delete(file)) {
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CONNECTOR, "could not list " + directory + ": " + e, e);
    }
    return deleted;
  }

  private long size(SinkFile file) {
    try {
      return Files.size(directory.resolve(file.name()));
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CONNECTOR, "the committed file " + file.name()
          + " in " + directory + " cannot be read: " + e, e);
    }
  }

  private static boolean delete(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CONNECTOR, "could not delete " + file + ": " + e, e);
    }
  }
}
