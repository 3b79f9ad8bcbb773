package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The file {@code .in-use} of a store's checkpoint folder, present while a batch or a task of the
 * maintenance thread may use the store's maps: a process killed then may have died holding one of
 * Chronicle Map's segment locks (a snapshot's iteration takes them too), so the next run opens the
 * maps in recovery mode. A store without a checkpoint has no marker.
 */
final class InUseMarker {
  private final @Nullable Path file;
  /** Guarded by this object's monitor, as is the file: batches and tasks end on two threads. */
  private boolean batch;
  private int tasks;

  InUseMarker(@Nullable Path file) {
    this.file = file;
  }

  /** Whether a previous run left the marker: it was killed while using the maps. */
  boolean present() {
    return file != null && Files.exists(file);
  }

  synchronized void batchBegins() {
    batch = true;
    create();
  }

  synchronized void batchEnds() {
    batch = false;
    deleteIfIdle();
  }

  synchronized void taskBegins() {
    tasks++;
    create();
  }

  synchronized void taskEnds() {
    tasks--;
    deleteIfIdle();
  }

  private void create() {
    if (file == null) {
      return;
    }
    try {
      CheckpointFile.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot write the state marker " + file + ": " + e, e);
    }
  }

  private void deleteIfIdle() {
    if (file == null || batch || tasks > 0) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot remove the state marker " + file + ": " + e, e);
    }
  }
}
