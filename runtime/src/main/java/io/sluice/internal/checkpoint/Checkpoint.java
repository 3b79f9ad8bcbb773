package io.sluice.internal.checkpoint;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The checkpoint folder of one query, laid out as Spark's: {@code metadata}, {@code offsets/N},
 * {@code commits/N}, {@code sources/<n>/...}, {@code state/...}. Opening an existing folder checks
 * that it belongs to this query and this version of Sluice.
 */
public final class Checkpoint implements AutoCloseable {
  private final Path directory;
  private final CheckpointMetadata metadata;
  private final BatchLog offsets;
  private final BatchLog commits;
  private CheckpointLock lock;

  private Checkpoint(Path directory, CheckpointMetadata metadata, boolean sync) {
    this.directory = directory;
    this.metadata = metadata;
    this.offsets = new BatchLog(directory.resolve("offsets"), sync);
    this.commits = new BatchLog(directory.resolve("commits"), sync);
  }

  /**
   * Opens the checkpoint in {@code directory}, creating it (with a new query id) if empty, and
   * locks it until {@link #close()}: two running queries writing one checkpoint would make its logs
   * disagree with the sink's.
   */
  public static Checkpoint open(Path directory, int statePartitions, String queryFingerprint,
      String source) {
    return open(directory, statePartitions, queryFingerprint, source, true);
  }

  /** As {@link #open(Path, int, String, String)}; {@code sync} says whether logs are synced. */
  public static Checkpoint open(Path directory, int statePartitions, String queryFingerprint,
      String source, boolean sync) {
    CheckpointLock lock = CheckpointLock.acquire(directory);
    try {
      Checkpoint checkpoint = openLocked(directory, statePartitions, queryFingerprint, source,
          sync);
      checkpoint.lock = lock;
      return checkpoint;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Checkpoint openLocked(Path directory, int statePartitions,
      String queryFingerprint, String source, boolean sync) {
    Path file = directory.resolve("metadata");
    if (!Files.exists(file)) {
      CheckpointMetadata fresh = new CheckpointMetadata(UUID.randomUUID(),
          CheckpointFile.FORMAT_VERSION, statePartitions, queryFingerprint, source);
      CheckpointFile.write(file, fresh.toJson());
      return new Checkpoint(directory, fresh, sync);
    }
    CheckpointMetadata existing = CheckpointMetadata.fromJson(CheckpointFile.read(file), file);
    if (existing.formatVersion() > CheckpointFile.FORMAT_VERSION) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + directory
          + " has format version " + existing.formatVersion() + "; this Sluice reads up to "
          + CheckpointFile.FORMAT_VERSION);
    }
    if (existing.statePartitions() != statePartitions) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + directory
          + " was written with " + existing.statePartitions() + " state partitions; this query "
          + "asks for " + statePartitions + "; the number of state partitions is fixed for the "
          + "life of a checkpoint");
    }
    if (!existing.queryFingerprint().equals(queryFingerprint)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + directory
          + " belongs to a different query (its state is " + existing.queryFingerprint()
          + "; this query's is " + queryFingerprint + "); start from a new checkpoint location");
    }
    if (!existing.source().isEmpty() && !existing.source().equals(source)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + directory
          + " belongs to a query reading " + existing.source() + "; this query reads " + source
          + ": its offsets would mean nothing to this source; start from a new checkpoint "
          + "location");
    }
    return new Checkpoint(directory, existing, sync);
  }

  public CheckpointMetadata metadata() {
    return metadata;
  }

  public BatchLog offsets() {
    return offsets;
  }

  public BatchLog commits() {
    return commits;
  }

  public Path directory() {
    return directory;
  }

  public Path stateDirectory() {
    return directory.resolve("state");
  }

  public Path sourceDirectory(int source) {
    return directory.resolve("sources").resolve(Integer.toString(source));
  }

  /** Releases the lock; the files stay for the next run. */
  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
