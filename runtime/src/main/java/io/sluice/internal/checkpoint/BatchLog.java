package io.sluice.internal.checkpoint;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A log with one checkpoint file per batch, named by the batch id ({@code offsets/0}, {@code
 * offsets/17}): the offsets write-ahead log and the commits log.
 */
public final class BatchLog {
  private final Path directory;
  private final boolean sync;
  /**
   * No entry before this id exists, once a purge has listed the folder; -1 before. Later purges
   * then delete entries by name instead of listing the folder at every batch.
   */
  private long purgedBefore = -1;
  private static final int MAX_DELETES_BY_NAME = 1000;

  /** A log whose entries are synced to disk. */
  public BatchLog(Path directory) {
    this(directory, true);
  }

  /** A log whose entries are synced to disk only if {@code sync}, see {@link CheckpointFile}. */
  public BatchLog(Path directory, boolean sync) {
    this.directory = directory;
    this.sync = sync;
    try {
      CheckpointFile.createDirectories(directory);
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot create checkpoint folder " + directory + ": " + e, e);
    }
  }

  public Path directory() {
    return directory;
  }

  /** Writes the entry of {@code batchId}, replacing one a crashed attempt may have left. */
  public void add(long batchId, String body) {
    if (batchId < purgedBefore) {
      purgedBefore = -1;
    }
    CheckpointFile.write(directory.resolve(Long.toString(batchId)), body, sync);
  }

  public Optional<String> get(long batchId) {
    Path file = directory.resolve(Long.toString(batchId));
    return Files.exists(file) ? Optional.of(CheckpointFile.read(file)) : Optional.empty();
  }

  /** The highest batch id with an entry; temporary files and other names are ignored. */
  public OptionalLong latestBatchId() {
    return ids().stream().mapToLong(Long::longValue).max();
  }

  /** The lowest batch id with an entry: retention deletes the ones before it. */
  public OptionalLong earliestBatchId() {
    return ids().stream().mapToLong(Long::longValue).min();
  }

  /** Deletes the entries of batches before {@code batchId}. */
  public void purgeBefore(long batchId) {
    // A far jump (ids need not be dense) is cheaper to serve by one listing.
    if (purgedBefore >= 0 && batchId - purgedBefore <= MAX_DELETES_BY_NAME) {
      for (long id = purgedBefore; id < batchId; id++) {
        delete(id);
      }
    } else {
      for (long id : ids()) {
        if (id < batchId) {
          delete(id);
        }
      }
    }
    purgedBefore = Math.max(purgedBefore, batchId);
  }

  private void delete(long id) {
    try {
      Files.deleteIfExists(directory.resolve(Long.toString(id)));
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot delete old checkpoint file " + directory.resolve(Long.toString(id)) + ": "
              + e, e);
    }
  }

  private List<Long> ids() {
    List<Long> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.map(p -> p.getFileName().toString())
          // Only the names add() writes: "007" would be listed as 7 but not found by get(7).
          .filter(name -> name.matches("0|[1-9]\\d{0,17}"))
          .forEach(name -> ids.add(Long.parseLong(name)));
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot list checkpoint folder " + directory + ": " + e, e);
    }
    return ids;
  }
}
