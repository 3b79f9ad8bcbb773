package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The file sink's log, {@code _sluice_sink_log/}: only files it lists are part of the output.
 *
 * <p>Its entries, in the order of {@link LogKey}: {@code <batchId>} lists the part files batch
 * {@code batchId} committed; every {@code compactInterval} batches the batch's entry is instead
 * {@code <batchId>.compact}, which holds the whole state (see {@link SinkState}), after which the
 * older entries are deleted; {@code <batchId>.<n>} is the compaction action's n-th rewrite after
 * that batch, removing small files and adding the merged ones. Each entry is a checkpoint file
 * (see {@link CheckpointFile}), written atomically and never changed. README.md documents the
 * layout for readers other than Sluice.
 *
 * <p>Writers (the sink, the compaction action) write under {@link #WRITE_LOCK}, so that entries
 * appear in the order of their keys. Readers take no lock: a listing of a folder that changes
 * meanwhile may miss files, so a reader takes the newest key from one listing, the entries up to
 * it from a second, and a third to check that no newer compact file (after which entries are
 * deleted) appeared meanwhile; if one did, or an entry vanished, it reads again.
 */
final class SinkLog {
  static final String DIRECTORY = "_sluice_sink_log";
  /** Held while an entry is written, and by the sink while it folds and deletes entries. */
  static final String WRITE_LOCK = ".write.lock";
  /** Enough for a reader that falls behind a sink compacting every few milliseconds. */
  private static final int READ_ATTEMPTS = 1000;

  private final Path outputDirectory;
  private final Path logDirectory;

  SinkLog(Path outputDirectory) {
    this.outputDirectory = outputDirectory;
    this.logDirectory = outputDirectory.resolve(DIRECTORY);
  }

  /** An entry at {@code key} whose facts are {@code change}. */
  record Entry(LogKey key, SinkState change) {}

  /** Whether {@code directory} holds the output of a file sink. */
  static boolean isSinkOutput(Path directory) {
    return Files.isDirectory(directory.resolve(DIRECTORY));
  }

  Path logDirectory() {
    return logDirectory;
  }

  Path outputDirectory() {
    return outputDirectory;
  }

  /** The last committed batch by the entries' names, or -1. */
  long latestBatch() {
    return keys().stream().mapToLong(LogKey::batch).max().orElse(-1);
  }

  /** The whole state as of one moment. */
  SinkState state() {
    SinkState state = new SinkState();
    for (Entry entry : entriesAfter(null)) {
      state.apply(entry.key(), entry.change());
    }
    return state;
  }

  /**
   * The entries a reader that applied those up to {@code after} must apply to come up to one
   * moment's state: those after it, or from the newest compact file on if that one is newer (the
   * entries before it may be gone). Everything, from the newest compact file, if {@code after} is
   * null.
   */
  List<Entry> entriesAfter(@Nullable LogKey after) {
    for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      List<Entry> read = tryEntriesAfter(after);
      if (read != null) {
        return read;
      }
    }
    throw new SluiceException(ErrorKind.CONNECTOR, "could not read the sink log " + logDirectory
        + ": its entries kept being compacted away while reading, " + READ_ATTEMPTS + " times");
  }

  /** The entries, or null if the log changed under the reader so that it must read again. */
  private @Nullable List<Entry> tryEntriesAfter(@Nullable LogKey after) {
    List<LogKey> firstListing = keys();
    if (firstListing.isEmpty()) {
      return List.of();
    }
    LogKey newest = firstListing.get(firstListing.size() - 1);
    List<LogKey> listed = keys();
    LogKey compact = newestCompact(listed);
    boolean fromCompact = compact != null && (after == null || compact.compareTo(after) > 0);
    LogKey floor = fromCompact ? compact : after;
    List<LogKey> wanted = new ArrayList<>();
    if (fromCompact) {
      wanted.add(compact);
    }
    for (LogKey key : listed) {
      if ((floor == null || key.compareTo(floor) > 0) && key.compareTo(newest) <= 0) {
        wanted.add(key);
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (LogKey key : wanted) {
      Entry entry = read(key);
      if (entry == null) {
        return null;
      }
      entries.add(entry);
    }
    return Objects.equals(newestCompact(keys()), compact) ? entries : null;
  }

  private static @Nullable LogKey newestCompact(List<LogKey> keys) {
    return keys.stream().filter(LogKey::compact).max(LogKey::compareTo).orElse(null);
  }

  /** The entry at {@code key}, or null if it was deleted meanwhile. */
  private @Nullable Entry read(LogKey key) {
    Path file = logDirectory.resolve(key.fileName());
    String body;
    try {
      body = CheckpointFile.read(file);
    } catch (SluiceException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return null;
      }
      throw e;
    }
    boolean plainBatch = !key.compact() && !key.isRewrite();
    return new Entry(key, plainBatch ? SinkState.ofBatch(key.batch(), body)
        : SinkState.parse(body, file));
  }

  /** The keys of the entries in the folder, in order. */
  List<LogKey> keys() {
    try (Stream<Path> files = Files.list(logDirectory)) {
      return files.map(p -> LogKey.parse(p.getFileName().toString()))
          .filter(Objects::nonNull)
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw failure("could not list " + logDirectory, e);
    }
  }

  /**
   * Commits batch {@code batchId} with the part files {@code fileNames}, atomically, as a compact
   * file if the batch is a compaction batch of {@code compactInterval} (every that many batches,
   * as in Spark: 9, 19, 29 for 10). Returns false, writing nothing, if the log already holds a
   * batch at or after it.
   */
  boolean commitBatch(long batchId, List<String> fileNames, int compactInterval) {
    try (LogLock lock = LogLock.acquire(logDirectory.resolve(WRITE_LOCK))) {
      if (latestBatch() >= batchId) {
        return false;
      }
      if ((batchId + 1) % compactInterval != 0) {
        CheckpointFile.write(logDirectory.resolve(Long.toString(batchId)), lines(fileNames));
        return true;
      }
      SinkState state = state();
      state.addBatch(batchId, fileNames);
      state.forgetDeleted(outputDirectory);
      LogKey key = LogKey.batch(batchId, true);
      CheckpointFile.write(logDirectory.resolve(key.fileName()), state.render());
      deleteBefore(key);
      return true;
    }
  }

  /**
   * Commits the compaction action's {@code change} (merged files added, small ones removed) after
   * the latest batch, and returns where.
   */
  LogKey commitRewrite(SinkState change) {
    try (LogLock lock = LogLock.acquire(logDirectory.resolve(WRITE_LOCK))) {
      List<LogKey> keys = keys();
      // Keys are sorted: the last is the latest batch's last rewrite, or the batch itself.
      LogKey last = keys.isEmpty() ? LogKey.batch(-1, false) : keys.get(keys.size() - 1);
      LogKey key = new LogKey(last.batch(), last.rewrite() + 1, false);
      CheckpointFile.write(logDirectory.resolve(key.fileName()), change.render());
      return key;
    }
  }

  /** Deletes the entries the compact file at {@code key} folded, including older compact files. */
  private void deleteBefore(LogKey key) {
    for (LogKey old : keys()) {
      if (old.compareTo(key) < 0) {
        AtomicFiles.deleteQuietly(logDirectory.resolve(old.fileName()));
      }
    }
  }

  private static String lines(List<String> names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      text.append(name).append('\n');
    }
    return text.toString();
  }

  private static SluiceException failure(String what, IOException e) {
    return new SluiceException(ErrorKind.CONNECTOR, what + ": " + e.getMessage(), e);
  }
}
